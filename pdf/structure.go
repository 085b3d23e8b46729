package pdf

// scanStructure reads what it can of the file's structure from its bytes.
func scanStructure(data []byte) Structure {
	return Structure{Info: map[string]string{}}
}
