// The integration suite spends most of its wall time waiting: on devnets producing blocks and slots, on polls, on
// child processes starting (measured: load below 2 on two cores while two fixtures ran at a time). Three fixtures at
// a time overlap those waits; four made a clean-clone CI slower (integration 11 m 14 s against 10 m 19 s). Daemons
// hosted in the test process run beside other fixtures (each in-memory Quartz scheduler has a name of its own, see
// ScheduleRegistration). Fixtures that time failovers or leases on PostgreSQL, or run clustered Quartz nodes (one
// cluster name per process), carry [NonParallelizable] and run alone; tests inside one fixture stay sequential (they
// share the fixture's devnets).
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(3)]
