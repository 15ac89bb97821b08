package detect

import "math/bits"

// How often a byte-class sequence occurs in text decides which factors are
// worth looking for. Independent byte frequencies get text badly wrong:
// digits come in runs (dates, amounts, and in logs hexadecimal ids, where
// nine digits in a row are common but nine digits between punctuation are
// not). seqScore therefore walks a first-order Markov chain over groups of
// bytes, with transition rates measured on a mix of the Go standard
// library's source (one third) and the generated corporate corpus of
// cmd/lgcorpus (two thirds: mostly logs). The numbers only steer the choice
// of factors; the choice is sound whatever they are.

// byteGroup maps a byte to its group: digits, hex and other capitals, hex
// and other lower-case letters, space, line breaks and tabs, - . : , / _,
// quotes, =, other ASCII, and everything else.
func byteGroup(b byte) int {
	switch {
	case b >= '0' && b <= '9':
		return 0
	case b >= 'A' && b <= 'F':
		return 1
	case b >= 'G' && b <= 'Z':
		return 2
	case b >= 'a' && b <= 'f':
		return 3
	case b >= 'g' && b <= 'z':
		return 4
	case b == ' ':
		return 5
	case b == '\n' || b == '\r' || b == '\t':
		return 6
	case b == '-':
		return 7
	case b == '.':
		return 8
	case b == ':':
		return 9
	case b == ',':
		return 10
	case b == '/':
		return 11
	case b == '_':
		return 12
	case b == '"' || b == '\'':
		return 13
	case b == '=':
		return 14
	case b < 0x80:
		return 15
	}
	return 16
}

const nGroups = 17

// groupFreq is each group's share of bytes; groupNext[g][h] the share of
// bytes in group h after one in group g.
var (
	groupFreq = [nGroups]float64{0.208, 0.0185, 0.0447, 0.179, 0.287, 0.0904, 0.0309, 0.0137, 0.0159, 0.014, 0.0184, 0.0073, 0.009, 0.023, 0.0105, 0.0279, 0.0016}
	groupNext = [nGroups][nGroups]float64{
		{0.605, 0.0015, 0.0201, 0.14, 0.006, 0.0577, 0.0112, 0.0321, 0.0275, 0.0212, 0.0427, 0.0027, 0.0023, 0.0085, 0.0001, 0.0209, 0.0002},
		{0.0525, 0.157, 0.364, 0.0733, 0.234, 0.0344, 0.0056, 0.0153, 0.0033, 0.0035, 0.0143, 0.0002, 0.0232, 0.0054, 0.0029, 0.0099, 0.0014},
		{0.139, 0.136, 0.289, 0.104, 0.169, 0.0721, 0.0063, 0.0086, 0.0016, 0.0038, 0.0112, 0.0006, 0.0212, 0.0175, 0.0039, 0.012, 0.0034},
		{0.171, 0.0027, 0.0055, 0.25, 0.41, 0.0686, 0.0056, 0.0082, 0.0126, 0.0031, 0.0051, 0.0013, 0.0105, 0.0144, 0.0194, 0.0107, 0.0003},
		{0.0144, 0.0059, 0.0131, 0.264, 0.495, 0.0788, 0.0079, 0.0093, 0.0255, 0.0058, 0.0087, 0.0047, 0.0171, 0.021, 0.0127, 0.016, 0.0005},
		{0.0571, 0.0259, 0.0817, 0.151, 0.326, 0.209, 0.0009, 0.0156, 0.0009, 0.0102, 0.0, 0.0064, 0.0022, 0.0159, 0.0159, 0.0823, 0.0002},
		{0.0568, 0.0361, 0.0495, 0.0533, 0.115, 0.0188, 0.511, 0.0085, 0.0001, 0.0, 0.0, 0.0404, 0.0018, 0.0054, 0.0001, 0.102, 0.0007},
		{0.62, 0.0012, 0.0049, 0.1, 0.135, 0.0974, 0.0034, 0.0274, 0.0, 0.0063, 0.0, 0.0, 0.0, 0.0004, 0.0002, 0.0028, 0.0004},
		{0.315, 0.0934, 0.163, 0.0669, 0.207, 0.0654, 0.0653, 0.0, 0.013, 0.0, 0.0002, 0.0015, 0.0001, 0.0011, 0.0, 0.0072, 0.0004},
		{0.425, 0.001, 0.0014, 0.0014, 0.0044, 0.198, 0.0178, 0.0, 0.0001, 0.0002, 0.0, 0.0075, 0.0, 0.266, 0.0654, 0.0119, 0.0003},
		{0.231, 0.0461, 0.0805, 0.0018, 0.0164, 0.276, 0.078, 0.0001, 0.0, 0.0, 0.0, 0.0, 0.0, 0.266, 0.0, 0.0037, 0.0003},
		{0.0079, 0.0009, 0.0031, 0.146, 0.321, 0.227, 0.014, 0.0002, 0.001, 0.0, 0.0, 0.251, 0.0, 0.0012, 0.0001, 0.0261, 0.0007},
		{0.104, 0.0462, 0.134, 0.0148, 0.674, 0.0065, 0.0002, 0.0, 0.0001, 0.0003, 0.009, 0.0001, 0.0078, 0.0005, 0.0, 0.0028, 0.0005},
		{0.0645, 0.0098, 0.0196, 0.09, 0.302, 0.015, 0.0126, 0.0015, 0.0012, 0.251, 0.177, 0.0055, 0.0003, 0.0037, 0.0002, 0.0459, 0.0005},
		{0.46, 0.0002, 0.0003, 0.09, 0.0143, 0.259, 0.0005, 0.0003, 0.0001, 0.0, 0.0016, 0.0998, 0.0, 0.0321, 0.0254, 0.0153, 0.0005},
		{0.0744, 0.0166, 0.0481, 0.0454, 0.151, 0.184, 0.209, 0.0054, 0.006, 0.0136, 0.0437, 0.0064, 0.001, 0.038, 0.0165, 0.131, 0.0093},
		{0.0316, 0.0184, 0.0629, 0.0266, 0.127, 0.0126, 0.01, 0.0033, 0.0039, 0.0034, 0.0075, 0.0038, 0.0033, 0.0078, 0.0034, 0.164, 0.51},
	}
)

// groupMasks are the groups as byte sets; a constant table, computed once.
var groupMasks = func() (m [nGroups]byteSet) {
	for b := 0; b < 256; b++ {
		m[byteGroup(byte(b))].add(byte(b))
	}
	return m
}()

// groupShares returns, per group, the share of the group's bytes that are
// in class c (bytes of a group taken as equally likely).
func groupShares(c byteSet) (shares [nGroups]float64) {
	for g, m := range groupMasks {
		shares[g] = float64(popcount(c.and(m))) / float64(popcount(m))
	}
	return shares
}

// seqScore estimates how often, per byte of text, s occurs.
func seqScore(s seq) float64 {
	shares := make([][nGroups]float64, len(s))
	for i, c := range s {
		shares[i] = groupShares(c)
	}
	return sharesScore(shares) + commonWeight*float64(bitsCount(commonFits(s)))
}

// commonTokens are tokens that fill logs, exports and mail far more often
// than any byte model predicts (dates, times, ids, versions, amounts), each
// with its context. A piece that fits inside one of them costs
// commonWeight more per byte: factors that tell a phone number from a date
// are worth looking for, ones a date matches are not.
var commonTokens = []string{
	` 2024-02-08T00:00:00.015Z `, `"2024-02-08 13:45:10,123"`, `,2024-02-08,`, ` 08:55:12 `,
	` 12.03.2024 `, ` 03/12/2024 `, `Tue, 8 Mar 2024 08:55:12 +0100`, ` 10.0.3.17:8080 `,
	` v1.20.3 `, `"3f2504e0-4f89-11d3-9a0c-0305e82c3301"`, ` 80983eecd84df917a7aabac8e62f369d `,
	`"5ECDC3DD40C94D97BCCB9AA319F42587"`, `:16092,`, `=889.9ms `, `"status":404,`, ` 1,234.56 `,
}

const commonWeight = 1e-3

// commonFits returns the set of common tokens (bit i: commonTokens[i]) s
// fits in.
func commonFits(s seq) uint64 {
	var fits uint64
	for ti, tok := range commonTokens {
		for at := 0; at+len(s) <= len(tok); at++ {
			ok := true
			for i, c := range s {
				if !c.has(tok[at+i]) {
					ok = false
					break
				}
			}
			if ok {
				fits |= 1 << ti
				break
			}
		}
	}
	return fits
}

func bitsCount(x uint64) int { return bits.OnesCount64(x) }

// setScore estimates how often, per byte of text, one of the sequences
// occurs: the lower, the fewer regex runs the set leads to.
// A common token counts once however many of the sequences fit in it.
func setScore(set seqSet) float64 {
	total := 0.0
	var fits uint64
	for _, s := range set {
		shares := make([][nGroups]float64, len(s))
		for i, c := range s {
			shares[i] = groupShares(c)
		}
		total += sharesScore(shares)
		fits |= commonFits(s)
	}
	return total + commonWeight*float64(bitsCount(fits))
}

// sharesScore estimates how often, per byte of text, the sequence whose
// classes have these group shares occurs.
func sharesScore(shares [][nGroups]float64) float64 {
	if len(shares) == 0 {
		return 1
	}
	var alpha [nGroups]float64
	for g := range alpha {
		alpha[g] = groupFreq[g] * shares[0][g]
	}
	for _, sh := range shares[1:] {
		var next [nGroups]float64
		// Most classes lie in a group or two: only the groups the
		// chain can be in are summed (adding zeros changes no sum).
		var live [nGroups]int8
		nLive := 0
		for g, a := range alpha {
			if a != 0 {
				live[nLive] = int8(g)
				nLive++
			}
		}
		for h := range next {
			if sh[h] == 0 {
				continue
			}
			sum := 0.0
			for _, g := range live[:nLive] {
				sum += alpha[g] * groupNext[g][h]
			}
			next[h] = sum * sh[h]
		}
		alpha = next
	}
	total := 0.0
	for _, a := range alpha {
		total += a
	}
	return total
}

// popcount is the number of bytes in c.
func popcount(c byteSet) int {
	return bits.OnesCount64(c[0]) + bits.OnesCount64(c[1]) + bits.OnesCount64(c[2]) + bits.OnesCount64(c[3])
}
