package main

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"hash/crc32"
	"math/rand/v2"
	"strings"
)

// Credentials in the documented formats of their providers, with random
// bodies. None of them was ever issued; the private keys are real keys of
// throwaway key pairs derived from the generator's seed.

const (
	alnum    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	base32ch = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b64ch    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	base62ch = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)

func randFrom(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// awsKeyID is a long-term IAM access key id: AKIA and 16 base32 characters.
func awsKeyID(r *rand.Rand) string { return "AKIA" + randFrom(r, base32ch, 16) }

// awsSecret is the 40-character base64 secret access key.
func awsSecret(r *rand.Rand) string { return randFrom(r, b64ch, 40) }

// githubToken is a classic personal access token: ghp_, 30 random base62
// characters and a 6-character base62 CRC32 of them, the checksum GitHub
// describes for its token format.
func githubToken(r *rand.Rand) string {
	body := randFrom(r, alnum, 30)
	c := crc32.ChecksumIEEE([]byte(body))
	tail := make([]byte, 6)
	for i := 5; i >= 0; i-- {
		tail[i] = base62ch[c%62]
		c /= 62
	}
	return "ghp_" + body + string(tail)
}

// slackBotToken is xoxb-, the workspace and bot user numbers, and 24
// random characters.
func slackBotToken(r *rand.Rand) string {
	return "xoxb-" + string(digitsOf(r, []byte{byte('1' + r.IntN(9))}, 11)) + "-" +
		string(digitsOf(r, []byte{byte('1' + r.IntN(9))}, 12)) + "-" + randFrom(r, alnum, 24)
}

// stripeLiveKey is a live-mode secret key, old (24) or new (99) length.
func stripeLiveKey(r *rand.Rand) string {
	if r.IntN(2) == 0 {
		return "sk_live_" + randFrom(r, alnum, 24)
	}
	return "sk_live_51" + randFrom(r, alnum, 97)
}

// dbPassword is what an administrator types: mixed classes, URL-safe.
func dbPassword(r *rand.Rand) string {
	const sym = "!_.-~"
	n := 12 + r.IntN(9)
	b := []byte(randFrom(r, alnum, n))
	b[r.IntN(n)] = sym[r.IntN(len(sym))]
	b[0] = alnum[r.IntN(26)] // start with a letter, as most policies push people to
	return string(b)
}

// humanPassword is a password a person chose: a word, digits, a symbol,
// sometimes a random tail.
func humanPassword(r *rand.Rand) string {
	w := pick(r, passwordWords)
	w = strings.ToUpper(w[:1]) + w[1:]
	s := w + string(digitsOf(r, nil, 2+r.IntN(3))) + string("!#$%&*?@"[r.IntN(8)])
	if chance(r, 0.5) {
		s += randFrom(r, alnum, 3+r.IntN(4))
	}
	return s
}

// privateKeyPEM returns a PEM private key block of one of the common
// kinds: PKCS#1 RSA (random body behind a real DER header: generating
// RSA keys is slow and not reproducible from a seed), PKCS#8 Ed25519, SEC1
// EC P-256 and OpenSSH Ed25519, the last three real keys.
func privateKeyPEM(r *rand.Rand) string {
	seed := make([]byte, 32)
	for i := range seed {
		seed[i] = byte(r.Uint32())
	}
	switch r.IntN(4) {
	case 0:
		der := make([]byte, 1192)
		copy(der, []byte{0x30, 0x82, 0x04, 0xa4, 0x02, 0x01, 0x00, 0x02, 0x82, 0x01, 0x01, 0x00})
		for i := 12; i < len(der); i++ {
			der[i] = byte(r.Uint32())
		}
		return encodePEM("RSA PRIVATE KEY", der)
	case 1:
		der, err := x509.MarshalPKCS8PrivateKey(ed25519.NewKeyFromSeed(seed))
		if err != nil {
			panic(err) // cannot happen for an Ed25519 key
		}
		return encodePEM("PRIVATE KEY", der)
	case 2:
		seed[0] &= 0x7f // below the P-256 group order
		k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), seed)
		if err != nil {
			seed[1] = 1 // zero is the only other failure
			k, err = ecdsa.ParseRawPrivateKey(elliptic.P256(), seed)
		}
		if err != nil {
			panic(err)
		}
		der, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			panic(err)
		}
		return encodePEM("EC PRIVATE KEY", der)
	default:
		return openSSHKey(r, ed25519.NewKeyFromSeed(seed))
	}
}

func encodePEM(typ string, der []byte) string {
	s := string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
	return strings.TrimSuffix(s, "\n")
}

// openSSHKey encodes an unencrypted Ed25519 key in the openssh-key-v1
// container (OpenSSH's PROTOCOL.key): magic, cipher "none", KDF "none",
// one public key, and the private section padded to the 8-byte block.
func openSSHKey(r *rand.Rand, k ed25519.PrivateKey) string {
	str := func(b []byte, s []byte) []byte {
		b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
		return append(b, s...)
	}
	pub := k.Public().(ed25519.PublicKey)
	pubBlob := str(str(nil, []byte("ssh-ed25519")), pub)

	check := r.Uint32()
	priv := binary.BigEndian.AppendUint32(nil, check)
	priv = binary.BigEndian.AppendUint32(priv, check)
	priv = str(priv, []byte("ssh-ed25519"))
	priv = str(priv, pub)
	priv = str(priv, k)
	priv = str(priv, []byte("deploy@build-01"))
	for i := byte(1); len(priv)%8 != 0; i++ {
		priv = append(priv, i)
	}

	b := append([]byte("openssh-key-v1"), 0)
	b = str(b, []byte("none"))
	b = str(b, []byte("none"))
	b = str(b, nil)
	b = binary.BigEndian.AppendUint32(b, 1)
	b = str(b, pubBlob)
	b = str(b, priv)

	enc := base64.StdEncoding.EncodeToString(b)
	var sb strings.Builder
	sb.WriteString("-----BEGIN OPENSSH PRIVATE KEY-----\n")
	for len(enc) > 70 {
		sb.WriteString(enc[:70])
		sb.WriteByte('\n')
		enc = enc[70:]
	}
	sb.WriteString(enc)
	sb.WriteString("\n-----END OPENSSH PRIVATE KEY-----")
	return sb.String()
}
