package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.StoreFixture.Backend;
import dev.portcullis.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recomputes stored hashes the way docs/audit.md describes them, with nothing but JDBC, Jackson and SHA-256: an
 * auditor's own tool can check the chain without Portcullis' code.
 */
class HashFormatTest {
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.portcullis.audit.StoreFixture#backends")
  void storedHashIsTheSha256OfTheDocumentedLine(Backend backend) throws Exception {
    try (StoreFixture f = StoreFixture.create(backend)) {
      try (AuditStore store = f.open(); AuditLog log = AuditLog.start(store, Redactor.secrets())) {
        for (int i = 1; i <= 3; i++) {
          log.append(Entries.call("s-1", i)).join();
        }
      }

      int checked = 0;
      try (Connection c = f.raw(); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT * FROM " + f.table() + " ORDER BY seq")) {
        String previous = "0".repeat(64);
        while (rs.next()) {
          ObjectNode line = Json.object().put("v", 1).put("seq", rs.getLong("seq"))
              .put("prev_hash", rs.getString("prev_hash"));
          for (String column : Row.COLUMNS.subList(3, Row.COLUMNS.size())) {
            if (column.equals("latency_us")) {
              line.put(column, rs.getLong(column));
            } else {
              line.put(column, rs.getString(column));
            }
          }
          byte[] digest = MessageDigest.getInstance("SHA-256")
              .digest(Json.MAPPER.writeValueAsString(line).getBytes(StandardCharsets.UTF_8));

          assertThat(rs.getString("prev_hash")).isEqualTo(previous);
          assertThat(rs.getString("hash")).isEqualTo(HexFormat.of().formatHex(digest));
          previous = rs.getString("hash");
          checked++;
        }
      }
      assertThat(checked).isEqualTo(3);
    }
  }
}
