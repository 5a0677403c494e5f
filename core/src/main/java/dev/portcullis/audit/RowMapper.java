package dev.portcullis.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Moves a {@link Row} in and out of JDBC, column by column in {@link Row#COLUMNS} order. */
final class RowMapper {
  private RowMapper() {}

  static String select(String table) {
    return "SELECT " + String.join(", ", Row.COLUMNS) + " FROM " + table;
  }

  static void bind(PreparedStatement ps, Row row) throws SQLException {
    Row.Content c = row.content();
    int i = 1;
    ps.setLong(i++, row.seq());
    ps.setString(i++, row.prevHash());
    ps.setString(i++, row.hash());
    ps.setString(i++, c.time());
    ps.setString(i++, c.requestId());
    ps.setString(i++, c.session());
    ps.setString(i++, c.agent());
    ps.setString(i++, c.actorChainJson());
    ps.setString(i++, c.clientInfoJson());
    ps.setString(i++, c.protocolVersion());
    ps.setString(i++, c.method());
    ps.setString(i++, c.tool());
    ps.setString(i++, c.argumentsJson());
    ps.setString(i++, c.decision());
    ps.setString(i++, c.rule());
    ps.setString(i++, c.reason());
    ps.setString(i++, c.policyVersion());
    ps.setLong(i++, c.latencyMicros());
    ps.setString(i++, c.outcome());
    ps.setString(i++, c.resultExcerpt());
    ps.setString(i++, c.resultSha256());
    ps.setString(i++, c.filteredJson());
    ps.setString(i, c.extraJson());
  }

  /** Reads the current row. A NULL (possible only after hand edits) reads as empty text, which then fails its hash. */
  static Row read(ResultSet rs) throws SQLException {
    int i = 1;
    long seq = rs.getLong(i++);
    String prevHash = text(rs, i++);
    String hash = text(rs, i++);
    Row.Content content = new Row.Content(
        text(rs, i++), text(rs, i++), text(rs, i++), text(rs, i++), text(rs, i++), text(rs, i++), text(rs, i++),
        text(rs, i++), text(rs, i++), text(rs, i++), text(rs, i++), text(rs, i++), text(rs, i++), text(rs, i++),
        rs.getLong(i++), text(rs, i++), text(rs, i++), text(rs, i++), text(rs, i++), text(rs, i));
    return new Row(seq, prevHash, hash, content);
  }

  private static String text(ResultSet rs, int column) throws SQLException {
    String s = rs.getString(column);
    return s == null ? "" : s;
  }
}
