package authenticity

// Signal codes. They are stable: the Dashboard, the API and customers' rules key on them.
const (
	// File structure.
	RevisionChangedContent  = "REVISION_CHANGED_CONTENT"   // an incremental update replaced page content (high)
	RevisionAddedFonts      = "REVISION_ADDED_FONTS"       // an incremental update added fonts (medium)
	RevisionChangedMetadata = "REVISION_CHANGED_METADATA"  // an incremental update rewrote metadata only (medium)
	RevisionAddedAnnots     = "REVISION_ADDED_ANNOTATIONS" // an incremental update added annotations (medium)
	IncrementalUpdate       = "INCREMENTAL_UPDATE"         // an incremental update of another kind (low)
	TrailingBytes           = "TRAILING_BYTES"             // data after the last %%EOF (medium)
	XrefRepaired            = "XREF_REPAIRED"              // the cross-reference table was broken (medium)
	Encrypted               = "ENCRYPTED"                  // the file is encrypted (low)
	JavaScript              = "JAVASCRIPT"                 // document or page JavaScript (medium)
	OpenAction              = "OPEN_ACTION"                // an action runs when the file opens (low)
	EmbeddedFiles           = "EMBEDDED_FILES"             // files attached inside the PDF (low)
	FormFields              = "FORM_FIELDS"                // fillable form fields (low)
	AnnotationOverText      = "ANNOTATION_OVER_TEXT"       // an annotation or form field placed over printed text (high)
	MarkupAnnotation        = "MARKUP_ANNOTATION"          // a comment, stamp, shape or typed-text annotation (medium)

	// Metadata.
	EditorProducer         = "EDITING_TOOL"              // Producer/Creator is an editing tool (severity from editors.txt)
	ProducerChanged        = "PRODUCER_CHANGED"          // an earlier Producer is still in the file (high after an update or to an editor, else medium)
	ModifiedAfterCreation  = "MODIFIED_AFTER_CREATION"   // ModDate later than CreationDate (low)
	MalformedDate          = "MALFORMED_DATE"            // a metadata date that does not parse (low)
	FutureMetadataDate     = "FUTURE_METADATA_DATE"      // CreationDate or ModDate after today (medium)
	CreatedBeforePeriodEnd = "CREATED_BEFORE_PERIOD_END" // the file was made before the period it reports ended (medium)
	XMPMismatch            = "XMP_INFO_MISMATCH"         // XMP and the Info dictionary disagree (medium)

	// Text layer.
	Whiteout        = "WHITEOUT"            // an opaque box drawn over text, with new text on it (high)
	TextCovered     = "TEXT_COVERED"        // an opaque box drawn over text (high over an amount, else medium)
	FontMismatch    = "VALUE_FONT_MISMATCH" // a value in a font unlike its column and row (medium)
	SizeMismatch    = "VALUE_SIZE_MISMATCH" // a value in a size unlike its column and row (medium)
	OffAlignment    = "VALUE_OFF_ALIGNMENT" // a value just off its column's alignment (medium)
	OffBaseline     = "VALUE_OFF_BASELINE"  // a value just off its row's baseline (medium)
	InvisibleText   = "INVISIBLE_TEXT"      // text that is never painted, outside an OCR layer (high for amounts, else medium)
	PageFontsDiffer = "PAGE_FONTS_DIFFER"   // a page whose fonts share nothing with the others (medium; high when its size differs too)
	PageSizeDiffers = "PAGE_SIZE_DIFFERS"   // a page of another size than all the others (low)

	// Content arithmetic.
	BalanceBreak    = "BALANCE_BREAK"       // a running balance that does not follow from the one before (high)
	ClosingMismatch = "CLOSING_MISMATCH"    // opening + activity ≠ closing (high)
	TotalMismatch   = "TOTAL_MISMATCH"      // a printed total ≠ the sum of the rows (high)
	OutsidePeriod   = "DATE_OUTSIDE_PERIOD" // a transaction dated outside the statement period (medium)
	FutureDate      = "FUTURE_DATE"         // a transaction or period end after today (medium)

	// Image files (JPEG, PNG, TIFF…).
	ImageEditor       = "IMAGE_EDITING_TOOL" // EXIF/XMP names an image editor (severity from editors.txt)
	ImageRecompressed = "IMAGE_RECOMPRESSED" // a JPEG saved again at another quality (medium)
	ImageScreenshot   = "IMAGE_SCREENSHOT"   // a screen capture presented as a scan or photo (medium)
	ImageDates        = "IMAGE_DATES"        // EXIF dates that disagree with each other or the period (medium)

	// Across the documents of one upload.
	DuplicateFile   = "DUPLICATE_FILE"          // the same file uploaded twice (medium)
	PeriodOverlap   = "PERIOD_OVERLAP"          // two statements of one account overlap (medium)
	PeriodGap       = "PERIOD_GAP"              // a gap between two statements of one account (low)
	BalanceChain    = "BALANCE_CHAIN_BREAK"     // closing of one period ≠ opening of the next (high)
	HolderMismatch  = "HOLDER_NAME_MISMATCH"    // holder names differ between documents (medium)
	AddressMismatch = "HOLDER_ADDRESS_MISMATCH" // holder addresses differ between documents (low)
)
