package sqlstore

// panelErasureSchema is the migration for panel's GDPR export, erasure and retention
// support (issue 9). It is empty until that support needs a schema change.
var panelErasureSchema = migration{
	name: "panel-erasure",
}
