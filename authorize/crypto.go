package authorize

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/passbookhq/passbook/internal/seal"
)

// KeyFile is the name of the generated credentials key in the data directory.
const KeyFile = "credentials.key"

// LoadKey returns the 32-byte key that encrypts saved credentials: configured (base64 or hex)
// when it is set, else the key in dataDir/credentials.key, generated with 0600 permissions on
// first use.
func LoadKey(dataDir, configured string) ([]byte, error) {
	if configured = strings.TrimSpace(configured); configured != "" {
		return parseKey(configured)
	}
	path := filepath.Join(dataDir, KeyFile)
	b, err := os.ReadFile(path)
	if err == nil {
		return parseKey(string(b))
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) { // created by another process meanwhile
		return LoadKey(dataDir, "")
	}
	if err != nil {
		return nil, err
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, err
	}
	return key, f.Close()
}

func parseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == 32 {
			return b, nil
		}
	}
	return nil, fmt.Errorf("authorize: the credentials key must be 32 bytes in base64 or hex")
}

// box seals small secrets; ad binds each sealed value to its owner (a login or request id) so a
// sealed value copied to another row does not open.
type box struct{ b *seal.Box }

func newBox(key []byte) (*box, error) {
	b, err := seal.New(key)
	if err != nil {
		return nil, errors.New("authorize: the credentials key must be 32 bytes")
	}
	return &box{b}, nil
}

func (b *box) seal(plain []byte, ad string) ([]byte, error) { return b.b.Seal(plain, []byte(ad)) }

func (b *box) open(sealed []byte, ad string) ([]byte, error) { return b.b.Open(sealed, []byte(ad)) }
