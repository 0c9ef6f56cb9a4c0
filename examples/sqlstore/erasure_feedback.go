package sqlstore

// feedbackErasureSchema is the migration for feedback's GDPR export, erasure and retention
// support (issue 9): the columns the stores list by, filled from the documents already
// stored, with their indexes. feedback.sender is the sender's participant ID text ("" for
// anonymous feedback); feedback_contacts.participant and survey_responses.respondent the
// participant ID ("" for none); feedback_contacts.retain_until the contact's last day as
// "YYYY-MM-DD" text (text order is date order). The indexes on sender and respondent
// are partial: most feedback and responses are anonymous.
var feedbackErasureSchema = migration{
	name: "feedback-erasure",
	common: `
ALTER TABLE feedback ADD COLUMN sender TEXT NOT NULL DEFAULT '';
ALTER TABLE feedback_contacts ADD COLUMN participant TEXT NOT NULL DEFAULT '';
ALTER TABLE feedback_contacts ADD COLUMN retain_until TEXT NOT NULL DEFAULT '';
ALTER TABLE survey_responses ADD COLUMN respondent TEXT NOT NULL DEFAULT '';
CREATE INDEX feedback_by_sender ON feedback (sender, id) WHERE sender <> '';
CREATE INDEX feedback_contacts_by_participant ON feedback_contacts (participant, id);
CREATE INDEX feedback_contacts_by_retain_until ON feedback_contacts (retain_until, id);
CREATE INDEX survey_responses_by_respondent ON survey_responses (respondent, id) WHERE respondent <> '';
`,
	sqlite: `
UPDATE feedback SET sender = COALESCE(json_extract(doc, '$.sender'), '');
UPDATE feedback_contacts SET participant = COALESCE(json_extract(doc, '$.participant'), ''),
	retain_until = COALESCE(json_extract(doc, '$.retainUntil'), '');
UPDATE survey_responses SET respondent = COALESCE(json_extract(doc, '$.respondent'), '');
`,
	postgres: `
UPDATE feedback SET sender = COALESCE(doc->>'sender', '');
UPDATE feedback_contacts SET participant = COALESCE(doc->>'participant', ''),
	retain_until = COALESCE(doc->>'retainUntil', '');
UPDATE survey_responses SET respondent = COALESCE(doc->>'respondent', '');
`,
}
