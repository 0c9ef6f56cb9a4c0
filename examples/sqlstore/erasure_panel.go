package sqlstore

// panelErasureSchema is the migration for panel's GDPR export, erasure and retention
// support (issue 9). It is empty: panel.Service finds a participant's data by listing
// the panel documents and changes them with the existing atomic updates (an anonymised
// membership, a pending erasure or a purged application is a change of the JSON
// document), so no table or column is added. The step is still recorded.
var panelErasureSchema = migration{
	name: "panel-erasure",
}
