using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using CsCheck;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using XiaoxiangTracking.Tests.Support;
using XiaoxiangTracking.Web.Security;

namespace XiaoxiangTracking.Tests.Security;

/// <summary>
/// A validated token's result is reused (the rider's app sends the same token with every report); what is accepted
/// must be exactly what a full validation accepts, at every moment.
/// </summary>
public class TokenReuseTests
{
    private const string Route = "/api/tracking/alerts";

    [Fact]
    public async Task Any_sequence_of_tokens_and_clock_moves_is_answered_as_a_full_validation_answers_it()
    {
        using var host = new TrackingHostFactory().WithClock().With("Auth:ReuseValidatedTokensFor", "00:20:00");
        host.CreateClient();
        var clock = host.Clock!;
        var reusing = host.Services.GetRequiredService<ValidatedTokens>();
        var parameters = host.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>()
            .Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters;
        var full = new JsonWebTokenHandler { MapInboundClaims = false };
        var callers = new[] { TestCaller.Rider("r-reuse-1"), TestCaller.Rider("r-reuse-2"), TestCaller.Warehouse("w-reuse", "wh-9") };

        // Each step: a caller's token issued some minutes before now (living 1 to 30 minutes), sent as issued or with one
        // character of its payload or signature changed, after the clock moved on by up to 10 minutes.
        var step = Gen.Select(Gen.Int[0, callers.Length - 1], Gen.Int[0, 30], Gen.Int[1, 30], Gen.Int[0, 2], Gen.Int[0, 600]);
        var sent = 0;
        await step.Array[1, 25].SampleAsync(async steps =>
        {
            var issued = new List<string>();
            foreach (var (caller, minutesAgo, lifetime, tampering, seconds) in steps)
            {
                clock.Advance(TimeSpan.FromSeconds(seconds));
                // Tokens already seen come back, as a rider's app sends its token again and again.
                var token = issued.Count > 0 && minutesAgo % 3 == 0
                    ? issued[minutesAgo % issued.Count]
                    : host.Tokens.For(callers[caller], clock.GetUtcNow().AddMinutes(-minutesAgo), TimeSpan.FromMinutes(lifetime));
                issued.Add(token);
                token = tampering switch
                {
                    1 => Changed(token, token.IndexOf('.', StringComparison.Ordinal) + 5),
                    2 => Changed(token, token.Length - 3),
                    _ => token,
                };

                sent++;
                var expected = await full.ValidateTokenAsync(token, parameters);
                var actual = await reusing.ValidateTokenAsync(token, parameters);

                actual.IsValid.Should().Be(expected.IsValid, "a token is accepted exactly when a full validation accepts it, now ({0})", clock.GetUtcNow());
                if (expected.IsValid)
                {
                    Claims(actual.ClaimsIdentity).Should().BeEquivalentTo(Claims(expected.ClaimsIdentity).Where(c => c.Type is "sub" or "role" or "warehouse_id"));
                    actual.SecurityToken.ValidTo.Should().Be(expected.SecurityToken.ValidTo);
                }
            }
        }, iter: 60, threads: 1);

        reusing.FullValidations.Should().BeLessThan(sent, "tokens seen before were reused");
    }

    [Fact]
    public async Task A_reused_token_is_refused_once_it_expires_and_validated_in_full_again_after_the_reuse_window()
    {
        using var host = new TrackingHostFactory().WithClock().With("Auth:ReuseValidatedTokensFor", "00:05:00");
        var client = host.CreateDefaultClient();
        var reusing = host.Services.GetRequiredService<ValidatedTokens>();
        var token = host.Tokens.For(TestCaller.DefaultOps, host.Clock!.GetUtcNow(), TimeSpan.FromMinutes(8));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var before = reusing.FullValidations;

        (await client.GetAsync(Route)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync(Route)).StatusCode.Should().Be(HttpStatusCode.OK);
        var reused = reusing.FullValidations - before;
        host.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        (await client.GetAsync(Route)).StatusCode.Should().Be(HttpStatusCode.OK);
        var again = reusing.FullValidations - before;
        host.Clock.Advance(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(30));
        var expired = await client.GetAsync(Route);

        reused.Should().Be(1, "the second request reused the first one's validation");
        again.Should().Be(2, "past the reuse window the token was validated in full again");
        expired.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a token held for reuse still expires on time");
        expired.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task Past_its_capacity_a_host_validates_new_tokens_each_time_and_still_renews_the_ones_it_holds()
    {
        using var host = new TrackingHostFactory().WithClock().With("Auth:ValidatedTokenCapacity", "2");
        host.CreateClient();
        var reusing = host.Services.GetRequiredService<ValidatedTokens>();
        var before = reusing.FullValidations;
        reusing.Count.Should().Be(0);
        var clients = new[] { "ops-cap-1", "ops-cap-2", "ops-cap-3" }.Select(subject => host.ClientFor(TestCaller.Ops(subject))).ToArray();

        foreach (var client in clients)
        {
            (await clients[0].GetAsync(Route)).StatusCode.Should().Be(HttpStatusCode.OK);
            (await client.GetAsync(Route)).StatusCode.Should().Be(HttpStatusCode.OK);
            (await client.GetAsync(Route)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var filling = reusing.FullValidations - before;
        host.Clock!.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        (await clients[0].GetAsync(Route)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await clients[0].GetAsync(Route)).StatusCode.Should().Be(HttpStatusCode.OK);

        filling.Should().Be(1 + 1 + 2, "the two held tokens were validated once, the third on every request");
        (reusing.FullValidations - before - filling).Should().Be(1, "a held token past its reuse window is validated again and held again, full or not");
        reusing.Count.Should().Be(2);
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    private static string Changed(string token, int index) =>
        string.Concat(token.AsSpan(0, index), token[index] == 'A' ? "B" : "A", token.AsSpan(index + 1));

    private static IEnumerable<(string Type, string Value)> Claims(ClaimsIdentity identity) =>
        identity.Claims.Select(c => (c.Type, c.Value));
}
