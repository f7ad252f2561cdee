-- Outage semantics (issue 7): while a network's passes fail (no healthy or trusted RPC endpoint, or any other
-- failure), its data is stale, whatever the age of its last ledger proof. The first failure's time and the latest
-- reason are kept on the network; a successful pass clears them.
ALTER TABLE networks ADD COLUMN failing_since TEXT NULL;
ALTER TABLE networks ADD COLUMN failing_reason TEXT NULL;
