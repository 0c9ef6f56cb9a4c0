package sqlstore

// feedbackErasureSchema is the migration for feedback's GDPR export, erasure and retention
// support (issue 9). It is empty until that support needs a schema change.
var feedbackErasureSchema = migration{
	name: "feedback-erasure",
}
