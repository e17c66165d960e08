using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Security;

/// <summary>Personal data at rest: encrypted with the host's Data Protection keys, which live in the database.</summary>
public class DataProtectionTests
{
    private const string Phone = "+86 139 1234 5678";
    private const string Address = "上海市徐汇区漕溪北路88号 3号楼1201";

    [Fact]
    public async Task The_customers_phone_name_and_address_are_stored_encrypted_and_read_back_after_a_restart()
    {
        using var folder = new TestFolder();
        string id;
        using (var host = new TrackingHostFactory(folder).WithOwnKeyRing())
        {
            var order = OrderRequests.NewOrder();
            order["deliveryAddress"]!["text"] = Address;
            order["deliveryAddress"]!["recipientPhone"] = Phone;
            var placed = await host.CreateClient().PlaceAsync(order);
            id = placed.Id();
            await host.CreateClient().LiveWhen(id, live => live["trackingVersion"]!.GetValue<long>() >= 1);

            var stored = Row(host, "SELECT delivery_address, recipient_name, recipient_phone FROM orders_orders WHERE id = $id", id);
            stored.Should().OnlyContain(value => value!.StartsWith("dp1:", StringComparison.Ordinal));
            string.Concat(stored).Should().NotContain("漕溪北路").And.NotContain("1234");
            Row(host, "SELECT delivery_address FROM tracking_live_orders WHERE order_id = $id", id).Single()!.Should().StartWith("dp1:");
            Column(host, "SELECT payload FROM orders_outbox_messages").Should().NotBeEmpty()
                .And.OnlyContain(payload => payload.StartsWith("dp1:", StringComparison.Ordinal) && !payload.Contains("漕溪北路", StringComparison.Ordinal));
            Column(host, "SELECT xml FROM security_data_protection_keys").Should().NotBeEmpty();
        }

        using var restarted = new TrackingHostFactory(folder).WithOwnKeyRing();
        var read = await restarted.CreateClient().GetFromJsonAsync<JsonObject>($"/api/orders/{id}");
        read!["deliveryAddress"]!["text"]!.GetValue<string>().Should().Be(Address);
        read["deliveryAddress"]!["recipientPhone"]!.GetValue<string>().Should().Be(Phone);
    }

    [Fact]
    public async Task A_value_written_before_encryption_is_read_as_it_is()
    {
        using var host = new TrackingHostFactory().WithOwnKeyRing();
        var id = (await host.CreateClient().PlaceAsync()).Id();

        Execute(host, "UPDATE orders_orders SET recipient_phone = '+86 137 0000 1111' WHERE id = $id", id);

        var read = await host.CreateClient().GetFromJsonAsync<JsonObject>($"/api/orders/{id}");
        read!["deliveryAddress"]!["recipientPhone"]!.GetValue<string>().Should().Be("+86 137 0000 1111");
    }

    [Fact]
    public async Task With_a_key_ring_certificate_the_stored_keys_are_encrypted_and_still_unlock_the_data_after_a_restart()
    {
        using var folder = new TestFolder();
        Directory.CreateDirectory(folder);
        var certificate = Path.Combine(folder, "key-ring.pfx");
        using (var rsa = System.Security.Cryptography.RSA.Create(2048))
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
                "CN=xiaoxiang key ring", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(certificate, created.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "s3cret"));
        }

        TrackingHostFactory Host() => new TrackingHostFactory(folder).WithOwnKeyRing()
            .With("Security:KeyRing:CertificatePath", certificate).With("Security:KeyRing:CertificatePassword", "s3cret");
        string id;
        using (var host = Host())
        {
            var order = OrderRequests.NewOrder();
            order["deliveryAddress"]!["recipientPhone"] = Phone;
            id = (await host.CreateClient().PlaceAsync(order)).Id();

            var keys = Column(host, "SELECT xml FROM security_data_protection_keys");
            keys.Should().NotBeEmpty().And.OnlyContain(xml => xml.Contains("EncryptedData", StringComparison.Ordinal)
                && !xml.Contains("<masterKey", StringComparison.Ordinal), "the key material is stored encrypted with the certificate");
        }

        using var restarted = Host();
        var read = await restarted.CreateClient().GetFromJsonAsync<JsonObject>($"/api/orders/{id}");
        read!["deliveryAddress"]!["recipientPhone"]!.GetValue<string>().Should().Be(Phone);
    }

    private static List<string?> Row(TrackingHostFactory host, string sql, string id)
    {
        using var connection = Open(host);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        reader.Read().Should().BeTrue();
        return [.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i))];
    }

    private static List<string> Column(TrackingHostFactory host, string sql)
    {
        using var connection = Open(host);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static void Execute(TrackingHostFactory host, string sql, string id)
    {
        using var connection = Open(host);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery().Should().Be(1);
    }

    private static SqliteConnection Open(TrackingHostFactory host)
    {
        var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        connection.Open();
        return connection;
    }
}
