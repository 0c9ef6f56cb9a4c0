package sqlstore

// expertErasureSchema is the migration for expert's GDPR export, erasure and retention
// support (issue 9). It is empty: expert's erasure and retention rewrite the JSON
// documents of existing rows through the store's Update and Atomic operations and find a
// participant's records through the participant column, so they need no new table,
// column or index.
var expertErasureSchema = migration{
	name: "expert-erasure",
}
