package sqlstore

// expertErasureSchema is the migration for expert's GDPR export, erasure and retention
// support (issue 9). It is empty until that support needs a schema change.
var expertErasureSchema = migration{
	name: "expert-erasure",
}
