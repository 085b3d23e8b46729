-- A disabled customer keeps its data but no longer authenticates: its keys, tokens and widget
-- sessions are refused (`passbook customer disable`).
ALTER TABLE customers ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
