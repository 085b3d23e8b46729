package pdfgen

import (
	"bytes"
	"crypto/md5"
	"crypto/rc4"
	"encoding/hex"
	"fmt"
)

// protection is the password protection Bytes applies; see Protect.
type protection struct {
	user, owner string
}

// Protect makes Bytes write the file protected by passwords, as banks send statements: the
// standard security handler of PDF 1.4 (revision 2, RC4 with a 40-bit key). A reader needs the user
// password to open the file; an empty user password opens it for anyone, with the owner's
// restrictions. Every string and stream is encrypted; the structure (objects, cross-reference
// table, trailer) stays readable, as in any encrypted PDF. Update does not encrypt what it adds.
func (d *Document) Protect(user, owner string) { d.protect = &protection{user, owner} }

// passwordPad is the padding string of the standard security handler (PDF 32000-1, 7.6.3.3).
var passwordPad = []byte("\x28\xbf\x4e\x5e\x4e\x75\x8a\x41\x64\x00\x4e\x56\xff\xfa\x01\x08\x2e\x2e\x00\xb6\xd0\x68\x3e\x80\x2f\x0c\xa9\xfe\x64\x53\x69\x7a")

// permissions: print and copy allowed, modification not (bits 3 and 5 set, the reserved high
// bits set as the standard requires).
const permissions int32 = -44

// fileID is the first element of the trailer's /ID, which enters the key: fixed, so that the same
// document makes the same bytes.
var fileID = []byte("passbook-pdfgen!")

// securityKeys computes the /O and /U entries and the file key (algorithms 2, 3 and 4).
func (p *protection) securityKeys() (o, u, key []byte) {
	padded := func(pw string) []byte { return append([]byte(pw), passwordPad...)[:32] }
	owner := p.owner
	if owner == "" {
		owner = p.user
	}
	ok := md5.Sum(padded(owner))
	o = padded(p.user)
	c, _ := rc4.NewCipher(ok[:5])
	c.XORKeyStream(o, o)
	h := md5.New()
	h.Write(padded(p.user))
	h.Write(o)
	perm := uint32(0xffffffd4) // permissions as the unsigned 32 bits the key takes
	h.Write([]byte{byte(perm), byte(perm >> 8), byte(perm >> 16), byte(perm >> 24)})
	h.Write(fileID)
	key = h.Sum(nil)[:5]
	u = append([]byte(nil), passwordPad...)
	c, _ = rc4.NewCipher(key)
	c.XORKeyStream(u, u)
	return o, u, key
}

// encryptDict is the body of the /Encrypt dictionary.
func (p *protection) encryptDict(o, u []byte) []byte {
	return fmt.Appendf(nil, "<< /Filter /Standard /V 1 /R 2 /Length 40 /O <%x> /U <%x> /P %d >>", o, u, permissions)
}

// trailerID is the trailer's /ID entry.
func trailerID() string { return fmt.Sprintf("/ID [<%x> <%x>]", fileID, fileID) }

// encryptObject returns body with its literal strings (written as hex strings) and its stream
// data encrypted with the key of object n (algorithm 1).
func encryptObject(body, fileKey []byte, n int) []byte {
	k := md5.Sum(append(append([]byte(nil), fileKey...), byte(n), byte(n>>8), byte(n>>16), 0, 0))
	objKey := k[:min(len(fileKey)+5, 16)]
	crypt := func(b []byte) []byte {
		c, _ := rc4.NewCipher(objKey)
		out := make([]byte, len(b))
		c.XORKeyStream(out, b)
		return out
	}
	dict, data, hasStream := body, []byte(nil), false
	if i := bytes.Index(body, []byte(">>\nstream\n")); i >= 0 {
		if j := bytes.LastIndex(body, []byte("\nendstream")); j > i {
			dict, data, hasStream = body[:i+len(">>\nstream\n")], body[i+len(">>\nstream\n"):j], true
		}
	}
	var out bytes.Buffer
	for i := 0; i < len(dict); i++ {
		if dict[i] != '(' {
			out.WriteByte(dict[i])
			continue
		}
		raw, end := literal(dict, i)
		out.WriteByte('<')
		out.WriteString(hex.EncodeToString(crypt(raw)))
		out.WriteByte('>')
		i = end
	}
	if hasStream {
		out.Write(crypt(data))
		out.WriteString("\nendstream")
	}
	return out.Bytes()
}

// literal decodes the literal string opening at b[start] ('('), returning its bytes and the index
// of its closing parenthesis.
func literal(b []byte, start int) ([]byte, int) {
	var raw []byte
	depth := 0
	for i := start; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\\' && i+1 < len(b):
			i++
			switch e := b[i]; e {
			case 'n':
				raw = append(raw, '\n')
			case 'r':
				raw = append(raw, '\r')
			case 't':
				raw = append(raw, '\t')
			case 'b':
				raw = append(raw, '\b')
			case 'f':
				raw = append(raw, '\f')
			default:
				raw = append(raw, e) // \( \) \\ (pdfgen writes no octal escapes)
			}
		case c == '(':
			if depth > 0 {
				raw = append(raw, c)
			}
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return raw, i
			}
			raw = append(raw, c)
		default:
			raw = append(raw, c)
		}
	}
	return raw, len(b) - 1
}
