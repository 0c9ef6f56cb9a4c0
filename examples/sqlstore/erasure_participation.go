package sqlstore

// participationErasureSchema is the migration for participation's GDPR export, erasure and retention
// support (issue 9). It is empty until that support needs a schema change.
var participationErasureSchema = migration{
	name: "participation-erasure",
}
