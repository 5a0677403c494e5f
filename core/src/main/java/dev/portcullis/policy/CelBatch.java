package dev.portcullis.policy;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelSource;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Type-checks many CEL expressions in one pass of CEL's checker. CEL builds its whole standard environment for every
 * check (most of the millisecond an expression costs), so a policy with thousands of conditions checks them as lists
 * of a hundred: {@code [(e1), (e2), ...]}, each expression on its own lines. Each expression is first parsed alone,
 * so only valid expressions are batched and each stays exactly the expression it was. A batch with an error is split
 * in halves until the expressions with errors stand alone; those, and elements that are not booleans, are left to
 * one-at-a-time compilation, which reports the error in that expression's own terms. The checked elements become
 * one checked AST each, with the source positions of their own expression, so evaluation errors point into the
 * condition as written.
 */
final class CelBatch {
  /** Expressions per check, and characters per check (CEL limits an expression to 100,000 code points). */
  static final int SIZE = 100;
  private static final int MAX_CHARS = 40_000;

  private CelBatch() {}

  /**
   * The checked AST of each source that checks cleanly; sources left out must be compiled one at a time.
   *
   * @param single the compiler for one expression (parses each source)
   * @param batch the same declarations without a required result type (checks the list)
   */
  static Map<String, CelAbstractSyntaxTree> check(CelCompiler single, CelCompiler batch, List<String> sources) {
    Map<String, CelAbstractSyntaxTree> checked = new HashMap<>();
    List<String> chunk = new ArrayList<>();
    int chars = 0;
    for (String source : sources) {
      if (source.length() > MAX_CHARS || single.parse(source).hasError()) {
        continue;
      }
      if (chunk.size() == SIZE || chars + source.length() > MAX_CHARS) {
        checkChunk(batch, List.copyOf(chunk), checked);
        chunk.clear();
        chars = 0;
      }
      chunk.add(source);
      chars += source.length() + 6;
    }
    if (!chunk.isEmpty()) {
      checkChunk(batch, chunk, checked);
    }
    return checked;
  }

  private static void checkChunk(CelCompiler batch, List<String> sources, Map<String, CelAbstractSyntaxTree> out) {
    StringBuilder text = new StringBuilder("[");
    int[] starts = new int[sources.size()];
    for (int i = 0; i < sources.size(); i++) {
      text.append(i == 0 ? "(\n" : ",(\n");
      starts[i] = text.codePointCount(0, text.length());
      text.append(sources.get(i)).append("\n)");
    }
    text.append(']');
    CelValidationResult result = batch.compile(text.toString());
    if (result.hasError()) {
      if (sources.size() > 1) { // find the bad ones by halves; the rest still check in batches
        int half = sources.size() / 2;
        checkChunk(batch, sources.subList(0, half), out);
        checkChunk(batch, sources.subList(half, sources.size()), out);
      }
      return;
    }
    CelAbstractSyntaxTree ast;
    try {
      ast = result.getAst();
    } catch (Exception e) {
      return;
    }
    if (ast.getExpr().getKind() != CelExpr.ExprKind.Kind.LIST) {
      return;
    }
    List<CelExpr> elements = ast.getExpr().list().elements();
    if (elements.size() != sources.size()) {
      return;
    }
    Map<Long, Integer> positions = ast.getSource().getPositionsMap();
    for (int i = 0; i < elements.size(); i++) {
      CelExpr element = elements.get(i);
      CelType type = ast.getType(element.id()).orElse(null);
      if (type != SimpleType.BOOL && type != SimpleType.DYN) {
        continue; // not a condition: compiled alone, it reports why
      }
      String source = sources.get(i);
      int start = starts[i];
      int end = start + source.codePointCount(0, source.length());
      CelSource.Builder own = CelSource.newBuilder(source).setDescription(ast.getSource().getDescription());
      positions.forEach((id, at) -> {
        if (at >= start && at < end) {
          own.addPositions(id, at - start);
        }
      });
      out.put(source, CelAbstractSyntaxTree.newCheckedAst(element, own.build(), ast.getReferenceMap(),
          ast.getTypeMap()));
    }
  }
}
