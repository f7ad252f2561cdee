// The integration suite spends most of its wall time waiting: on devnets producing blocks and slots, on polls, on
// child processes starting (measured: load below 2 on two cores while two fixtures ran at a time). Four fixtures at
// a time overlap those waits (with three the parallel part took 158 s of a 10-minute run, at load 4-8). Fixtures that start daemons, time failovers or assert latencies carry
// [NonParallelizable] and run alone; tests inside one fixture stay sequential (they share the fixture's devnets).
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(4)]
