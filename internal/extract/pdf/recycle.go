package pdf

import (
	"reflect"

	"github.com/klippa-app/go-pdfium"
)

// keepBelow is the WebAssembly memory size up to which an instance is
// reused. WebAssembly memory only grows: an instance that needed more for
// one large document would hold it until the scan ends, so it is
// discarded and the next document gets a fresh one.
const keepBelow = 64 << 20

// reusable reports whether an instance that ended its session cleanly is
// worth keeping: its memory is small. go-pdfium does not expose the
// memory, so it is read by reflection from the implementation; if that
// ever fails the instance is not reused, which is correct, only slower.
func reusable(inst pdfium.Pdfium) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	impl := reflect.ValueOf(inst.GetImplementation())
	if impl.Kind() != reflect.Pointer || impl.IsNil() {
		return false
	}
	mod := impl.Elem().FieldByName("Module")
	if !mod.IsValid() || mod.IsNil() {
		return false
	}
	mem := mod.MethodByName("Memory")
	if !mem.IsValid() {
		return false
	}
	m := mem.Call(nil)[0]
	size := m.MethodByName("Size")
	if m.IsNil() || !size.IsValid() {
		return false
	}
	return size.Call(nil)[0].Uint() <= keepBelow
}
