-- Flinks parity. A login keeps the Tag it was linked with (echoed by the data endpoints and the
-- webhooks) and its statement policy: '' (linked through the API: statements on, Months3), 'off'
-- (Connect without detailsAndStatementEnable), or the months of Connect's monthsOfStatements
-- (MostRecent, Months3, Months12). A request carries both across security questions.
ALTER TABLE logins ADD COLUMN tag TEXT NOT NULL DEFAULT '';
ALTER TABLE logins ADD COLUMN statements TEXT NOT NULL DEFAULT '';
ALTER TABLE login_requests ADD COLUMN tag TEXT NOT NULL DEFAULT '';
ALTER TABLE login_requests ADD COLUMN statements TEXT NOT NULL DEFAULT '';
-- The event types an endpoint receives: a JSON array of names, '' meaning every type.
ALTER TABLE webhook_endpoints ADD COLUMN event_types TEXT NOT NULL DEFAULT '';
