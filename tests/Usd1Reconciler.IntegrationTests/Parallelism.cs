// The integration suite spends most of its wall time waiting: on devnets producing blocks and slots, on polls, on
// child processes starting (measured: load below 2 on two cores while two fixtures ran at a time). Three fixtures at
// a time overlap those waits; four made a clean-clone CI slower (integration 11 m 14 s against 10 m 19 s). Fixtures
// that start daemons, time failovers or assert latencies carry [NonParallelizable] and run alone; tests inside one
// fixture stay sequential (they share the fixture's devnets).
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(3)]
