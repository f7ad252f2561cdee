// The integration suite spends most of its wall time waiting: on devnets producing blocks and slots, on polls, on
// child processes starting. Two fixtures at a time overlap those waits on a two-core machine. Fixtures that start
// daemons, time failovers or assert latencies carry [NonParallelizable] and run alone; tests inside one fixture
// stay sequential (they share the fixture's devnets).
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
