using System.Numerics;
using System.Security.Cryptography;

namespace Usd1Reconciler.Demo;

/// <summary>
/// The steady business of the demo's issuer: on each EVM network a mint to a customer, a redemption (transfer back
/// and burn) or a transfer between holders every ~1.5 s; on Solana a mint, burn or transfer every ~2 s. Amounts are
/// random (a demo needs no repeatability; tests assert on the daemon's figures, not on these).
/// A failed transaction is reported as an event and the flow goes on: the demo's world is allowed to be messy.
/// </summary>
internal sealed class DemoTraffic(IReadOnlyList<EvmDemoChain> evm, SolanaDemoChain solana, DemoConsole console, TimeProvider time)
{
    private static readonly BigInteger Token = 1_000_000;

    public long Transactions => Interlocked.Read(ref _transactions);

    private long _transactions;

    /// <summary>Backfill material sent before the daemon starts, so its first passes have history to catch up on.</summary>
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(evm.Select(chain => SeedEvmAsync(chain, cancellationToken)).Append(SeedSolanaAsync(cancellationToken)));
    }

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(evm.Select(chain => LoopAsync(chain.Name, TimeSpan.FromMilliseconds(1500), ct => EvmStepAsync(chain, ct), cancellationToken))
            .Append(LoopAsync(solana.Name, TimeSpan.FromSeconds(2), SolanaStepAsync, cancellationToken)));

    private static BigInteger Amount(int minTokens, int maxTokens) =>
        (new BigInteger(RandomNumberGenerator.GetInt32(minTokens, maxTokens)) * Token) + RandomNumberGenerator.GetInt32(1_000_000);

    private async Task SeedEvmAsync(EvmDemoChain chain, CancellationToken cancellationToken)
    {
        // The opening float in mints of one million, within the anomaly limit: a demo that opens with anomalies
        // teaches the wrong thing.
        for (var i = 0; i < 10; i++)
        {
            await chain.MintAsync(EvmDemoChain.Alice, 1_000_000 * Token, cancellationToken);
        }

        for (var i = 0; i < 40; i++)
        {
            await EvmStepAsync(chain, cancellationToken);
        }
    }

    private async Task SeedSolanaAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < 5; i++)
        {
            await solana.MintAsync(1_000_000 * Token, cancellationToken);
        }

        await solana.BulkAsync(mints: 200, burns: 100, cancellationToken);
    }

    private async Task LoopAsync(string network, TimeSpan pause, Func<CancellationToken, Task> step, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await step(cancellationToken);
                await Task.Delay(pause, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TimeoutException or System.Text.Json.JsonException)
            {
                console.Event($"{network}: demo transaction failed: {ex.Message.Split('\n')[0]}");
                await Task.Delay(pause, time, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task EvmStepAsync(EvmDemoChain chain, CancellationToken cancellationToken)
    {
        await chain.Gate.WaitAsync(cancellationToken);
        try
        {
            var dice = RandomNumberGenerator.GetInt32(10);
            if (dice < 5)
            {
                await chain.MintAsync(EvmDemoChain.Alice, Amount(1_000, 200_000), cancellationToken);
            }
            else if (dice < 8)
            {
                var balance = await chain.BalanceOfAsync(EvmDemoChain.Alice, cancellationToken);
                var amount = BigInteger.Min(Amount(1_000, 150_000), balance / 2);
                if (amount > 0)
                {
                    await chain.RedeemAsync(EvmDemoChain.Alice, amount, cancellationToken);
                    Interlocked.Increment(ref _transactions);
                }
            }
            else
            {
                await chain.TransferAsync(EvmDemoChain.Alice, EvmDemoChain.Carol, Amount(10, 5_000), cancellationToken);
            }

            Interlocked.Increment(ref _transactions);
        }
        finally
        {
            chain.Gate.Release();
        }
    }

    private async Task SolanaStepAsync(CancellationToken cancellationToken)
    {
        var dice = RandomNumberGenerator.GetInt32(10);
        if (dice < 5)
        {
            await solana.MintAsync(Amount(1_000, 100_000), cancellationToken);
        }
        else if (dice < 8)
        {
            await solana.BurnAsync(Amount(1_000, 80_000), cancellationToken);
        }
        else
        {
            await solana.TransferAsync(Amount(10, 2_000), cancellationToken);
        }

        Interlocked.Increment(ref _transactions);
    }
}
