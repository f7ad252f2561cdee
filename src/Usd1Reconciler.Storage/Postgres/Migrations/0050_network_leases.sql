-- Issue 14.4: exactly one writer per network. A network's lease names the instance that indexes it (Instance:Id),
-- the fencing token of this tenure and until when it holds, all in DATABASE time (clock_timestamp()): the instances'
-- own clocks never decide who holds. The token grows by one at every acquisition, so a write carrying an older
-- token is recognisably from a writer whose lease was taken. Every write transaction of a network's index data checks
-- its row right before COMMIT (PostgresNetworkLeases, the INetworkWriteFence), under FOR SHARE, so a takeover cannot
-- slip between the check and the commit.
CREATE TABLE network_leases (
    network       text        PRIMARY KEY,
    holder        text        NOT NULL,
    fencing_token bigint      NOT NULL CHECK (fencing_token > 0),
    acquired_at   timestamptz NOT NULL,
    renewed_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);
