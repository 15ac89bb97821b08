package olepkg

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// packaged builds a Packager object as Office writes it.
func packaged(label, path, tmp string, file []byte) []byte {
	var b bytes.Buffer
	b.Write([]byte{2, 0})
	b.WriteString(label + "\x00" + path + "\x00")
	b.Write([]byte{0, 0, 3, 0})
	binary.Write(&b, binary.LittleEndian, uint32(len(tmp)+1))
	b.WriteString(tmp + "\x00")
	binary.Write(&b, binary.LittleEndian, uint32(len(file)))
	b.Write(file)
	b.Write([]byte{0, 0}) // trailing fields Office adds
	return b.Bytes()
}

func TestNativePackagedFile(t *testing.T) {
	pkg := packaged("secrets.txt", `C:\Users\a\secrets.txt`, `C:\Temp\secrets.txt`, []byte("password=hunter2"))
	native := binary.LittleEndian.AppendUint32(nil, uint32(len(pkg)))
	native = append(native, pkg...)
	name, data := Native(native)
	if name != "secrets.txt" || string(data) != "password=hunter2" {
		t.Fatalf("got %q %q", name, data)
	}
	if name, _, ok := Unpack(packaged("", `C:\docs\plan.docx`, "t", []byte("x"))); !ok || name != "plan.docx" {
		t.Errorf("unlabelled package named %q", name)
	}
}

func TestDamagedObjects(t *testing.T) {
	pkg := packaged("a", "b", "c", []byte("data"))
	for i := range len(pkg) - 2 { // every truncation
		if _, _, ok := Unpack(pkg[:i]); ok {
			t.Errorf("truncated at %d accepted", i)
		}
	}
	if name, data := Native([]byte{1, 2}); name != "" || len(data) != 2 {
		t.Errorf("short native: %q %v", name, data)
	}
}

func FuzzUnpack(f *testing.F) {
	f.Add(packaged("a.txt", "p", "t", []byte("hello")))
	f.Fuzz(func(t *testing.T, b []byte) {
		Native(b)
		if _, data, ok := Unpack(b); ok && len(data) > len(b) {
			t.Fatal("data longer than input")
		}
	})
}
