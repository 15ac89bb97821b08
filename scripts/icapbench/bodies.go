package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// BodySize is the size of every upload: the issue asks for 10 KB bodies.
const BodySize = 10 * 1024

// testCard is the issuers' public test number (Luhn-valid, never a real
// account): the default policy blocks a checksummed card number.
const testCard = "4111 1111 1111 1111"

// memo makes a clean body that reads like a memo and holds nothing any
// rule looks for: no digits, no addresses, no key-like strings.
const memo = `the quarterly review of our regional offices shows steady progress
on the new supplier agreements and the training plan for the autumn while the facilities team
asks every department to confirm its meeting room bookings before the end of the month and
the newsletter will cover the charity run the canteen menu and the library opening hours`

// cleanBody is BodySize bytes of memo-like text, the same on every call.
func cleanBody() []byte {
	words := strings.Fields(memo)
	var b strings.Builder
	for i, line := 0, 0; b.Len() < BodySize; i++ {
		w := words[(i*7+line)%len(words)]
		b.WriteString(w)
		if i%12 == 11 {
			b.WriteString(".\n")
			line++
		} else {
			b.WriteByte(' ')
		}
	}
	return []byte(b.String()[:BodySize-1] + "\n")
}

// cardBody is a clean body of the same size with one line in the middle
// that gives a card number.
func cardBody() []byte {
	clean := cleanBody()
	line := "\nplease charge the deposit to card " + testCard + " exp 12/29 thanks\n"
	mid := BodySize / 2
	out := append([]byte{}, clean[:mid]...)
	out = append(out, line...)
	return append(out, clean[mid+len(line):]...)
}

func digest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// writeBodies writes clean.txt and card.txt into dir and prints the
// shell assignments of their digests for the script to eval.
func writeBodies(dir string, stdout io.Writer) error {
	clean, card := cleanBody(), cardBody()
	if err := os.WriteFile(filepath.Join(dir, "clean.txt"), clean, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "card.txt"), card, 0o644); err != nil {
		return err
	}
	_, err := fmt.Fprintf(stdout, "LG_CLEAN_SHA=%s\nLG_CARD_SHA=%s\n", digest(clean), digest(card))
	return err
}
