package validate

import (
	"testing"
	"time"
)

func TestNetworkTables(t *testing.T) {
	runTables(t, map[string]cases{
		"email": {
			valid: []string{
				"alice@example.com", "first.last+tag@mail.example.co.uk", "o'brien@example.ie",
				"user_1@sub-domain.example.museum", "x@example.xn--p1ai", "ADMIN@EXAMPLE.ORG",
			},
			invalid: []string{
				"image@2x.png", "logo@3x.webp", "bundle@1.2.3", "user@localhost", "a..b@example.com",
				".a@example.com", "a.@example.com", "x@example.c", "x@-example.com", "x@example-.com",
				"x@example.com1", "x@@example.com", "x y@example.com", "@example.com", "x@",
				"x@example.abcdefghijklmnopqrstuvwxy",
			},
		},
		"ipv4": {
			valid:   []string{"192.168.1.1", "10.0.0.255", "255.255.255.255", "0.0.0.0", "8.8.8.8"},
			invalid: []string{"256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "1.2.3.-4", "1..2.3", "a.b.c.d", " 1.2.3.4"},
		},
		"ipv6": {
			valid: []string{"2001:db8::1", "::1", "[fe80::1]", "::ffff:192.0.2.1", "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
				"FE80::0202:B3FF:FE1E:8329"},
			invalid: []string{"::", "std::vector", "1.2.3.4", "fe80::1%eth0", "2001:db8:::1", "2001:db8::g", "12:34"},
		},
		"mac": {
			valid: []string{"00:1A:2B:3C:4D:5E", "d0-50-99-84-a2-a0", "D0-50-99-84-A2-A0", "001a.2b3c.4d5e"},
			invalid: []string{"00:1A-2B:3C:4D:5E", "00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff", "00:1G:2B:3C:4D:5E",
				"00:1A:2B:3C:4D", "001A2B3C4D5E", "00:1A:2B:3C:4D:5E:6F"},
		},
	})
}

func TestDeviceTables(t *testing.T) {
	runTables(t, map[string]cases{
		"imei": {
			valid:   []string{"490154203237518", "35-209900-176148-1", "49 015420 323751 8"},
			invalid: []string{"490154203237519", "35-417803-685978-1", "35686800-004141-20", "000000000000000"},
		},
		"vin": {
			valid: []string{
				"1HGCM82633A004352", "11111111111111111", // check digits 3 and 1
				"WVWZZZ1JZXW000001", "JH4KA8260MC000000", // outside North America: structure only
			},
			invalid: []string{
				"1HGCM82643A004352", // North-American check digit
				"1HGCM82633A00435I", "WVWZZZ1JZXW00000A", "WVWZZZ1JZXW0000O1", "1hgcm82633a004352",
				"1HGCM82633A00435",
			},
		},
	})
}

func TestGeneralTables(t *testing.T) {
	runTables(t, map[string]cases{
		"phone": {
			valid: []string{
				"+1 650-253-0000", "(650) 253-0000", "+44 20 7946 0958", "020 7946 0958",
				"+33 1 42 68 53 00", "+49 30 901820", "+91 98765 43210", "+61 2 9374 4000", "+55 11 3149-5200",
				"+972 3-123-4567", "+31 20 794 0000",
			},
			invalid: []string{
				"+1 123 456 7890", "12345", "+999 123 456", "0000000000", "555-CALL-NOW", "2024-01-15",
				"15.01.2024", "+1 650 253 0000 0000 000", "++1 650 253 0000",
			},
		},
		"not_sequence": {
			valid:   []string{"536-90-4399", "1212", "7", "", "abc", "4111111111111111", "1234567891"},
			invalid: []string{"123-45-6789", "000000000", "9876543210", "1234567890", "4444-4444", "7890123", "3210987"},
		},
	})
}

func TestDate(t *testing.T) {
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	valid := []string{
		"1984-03-12", "1984/03/12", "12/03/1984", "03/25/1984", "25.03.1984", "25-03-1984", "1.2.1984",
		"12 March 1984", "12th Mar 1984", "1st January 2000", "March 12, 1984", "Mar 12 1984",
		"Sept. 3, 1999", "29.02.2000", "1900-01-01", "2024-12-31",
	}
	invalid := []string{
		"1899-12-31", "2025-01-01", "2999-01-01", "31/02/1984", "30.02.2000", "13/13/1984",
		"1984-13-01", "12 Foo 1984", "March 32, 1984", "29.02.1900", "1.2.3", "1984-03-12-01",
		"12/03-1984", "84-03-12", "12 March 84", "March 1984", "",
	}
	for _, v := range valid {
		if !dateAt(v, now) {
			t.Errorf("date(%q) = false, want true", v)
		}
	}
	for _, v := range invalid {
		if dateAt(v, now) {
			t.Errorf("date(%q) = true, want false", v)
		}
	}
	if !Date("1984-03-12") {
		t.Error("Date(1984-03-12) = false")
	}
}

// TestPhoneShapedDates checks that a date stays a date with the
// punctuation of its sentence or brackets around it, and that a number
// with the same punctuation is still shaped like one.
func TestPhoneShapedDates(t *testing.T) {
	for v, want := range map[string]bool{
		"2024-01-15": false, "2024-01-15.": false, "(2024-01-15)": false, "15.01.2024.": false,
		"-2019-12-16": false, "12/31/2024/": false,
		"020 7946 0958.": true, "(650) 253-0000": true, "2024-01-1599": true, "06-10446904-": true,
	} {
		if got := PhoneShaped(v); got != want {
			t.Errorf("PhoneShaped(%q) = %v, want %v", v, got, want)
		}
	}
}
