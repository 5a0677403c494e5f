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
 * of a hundred. Each expression is parsed alone, so only valid expressions are batched and each stays exactly the
 * expression it was; the list is made of those parsed trees (their node ids moved apart), so nothing is parsed twice.
 * A batch with an error is split in halves until the expressions with errors stand alone; those, and elements that
 * are not booleans, are left to one-at-a-time compilation, which reports the error in that expression's own terms.
 * The checked elements become one checked AST each, with the source positions of their own parse, so evaluation
 * errors point into the condition as written.
 */
final class CelBatch {
  /** Expressions per check, and characters of source per check (a bound on the work one batch holds). */
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
    List<Parsed> chunk = new ArrayList<>();
    int chars = 0;
    for (String source : sources) {
      if (source.length() > MAX_CHARS) {
        continue;
      }
      CelValidationResult parsed = single.parse(source);
      if (parsed.hasError()) {
        continue;
      }
      if (chunk.size() == SIZE || chars + source.length() > MAX_CHARS) {
        checkChunk(batch, List.copyOf(chunk), checked);
        chunk.clear();
        chars = 0;
      }
      try {
        chunk.add(new Parsed(source, parsed.getAst()));
      } catch (Exception e) {
        continue;
      }
      chars += source.length() + 6;
    }
    if (!chunk.isEmpty()) {
      checkChunk(batch, chunk, checked);
    }
    return checked;
  }

  /** One expression as parsed alone. */
  private record Parsed(String source, CelAbstractSyntaxTree ast) {}

  private static void checkChunk(CelCompiler batch, List<Parsed> parsed, Map<String, CelAbstractSyntaxTree> out) {
    // The list holds the expressions as parsed alone, their ids moved apart so that no two nodes share one.
    long[] bases = new long[parsed.size()];
    List<CelExpr> shifted = new ArrayList<>(parsed.size());
    long next = 1;
    for (int i = 0; i < parsed.size(); i++) {
      bases[i] = next;
      long[] max = {0};
      shifted.add(shift(parsed.get(i).ast().getExpr(), next, max));
      next = max[0] + 1;
    }
    CelExpr list = CelExpr.newBuilder().setId(next)
        .setList(CelExpr.CelList.newBuilder().addElements(shifted).build()).build();
    CelValidationResult result;
    try {
      result = batch.check(CelAbstractSyntaxTree.newParsedAst(list, CelSource.newBuilder("").build()));
    } catch (Exception e) {
      result = null;
    }
    if (result == null || result.hasError()) {
      if (parsed.size() > 1) { // find the bad ones by halves; the rest still check in batches
        int half = parsed.size() / 2;
        checkChunk(batch, parsed.subList(0, half), out);
        checkChunk(batch, parsed.subList(half, parsed.size()), out);
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
    if (elements.size() != parsed.size()) {
      return;
    }
    for (int i = 0; i < elements.size(); i++) {
      CelExpr element = elements.get(i);
      CelType type = ast.getType(element.id()).orElse(null);
      if (type != SimpleType.BOOL && type != SimpleType.DYN) {
        continue; // not a condition: compiled alone, it reports why
      }
      CelSource alone = parsed.get(i).ast().getSource();
      CelSource.Builder own = CelSource.newBuilder(parsed.get(i).source()).setDescription(alone.getDescription());
      long base = bases[i];
      alone.getPositionsMap().forEach((id, at) -> own.addPositions(id + base, at));
      out.put(parsed.get(i).source(), CelAbstractSyntaxTree.newCheckedAst(element, own.build(), ast.getReferenceMap(),
          ast.getTypeMap()));
    }
  }

  /** The expression with every id (of nodes and of map and struct entries) increased by {@code by}. */
  private static CelExpr shift(CelExpr e, long by, long[] max) {
    long id = e.id() + by;
    max[0] = Math.max(max[0], id);
    CelExpr.Builder b = e.toBuilder().setId(id);
    switch (e.getKind()) {
      case SELECT -> b.setSelect(e.select().toBuilder().setOperand(shift(e.select().operand(), by, max)).build());
      case CALL -> {
        CelExpr.CelCall.Builder call = CelExpr.CelCall.newBuilder().setFunction(e.call().function());
        e.call().target().ifPresent(t -> call.setTarget(shift(t, by, max)));
        for (CelExpr arg : e.call().args()) {
          call.addArgs(shift(arg, by, max));
        }
        b.setCall(call.build());
      }
      case LIST -> {
        CelExpr.CelList.Builder l = CelExpr.CelList.newBuilder().addOptionalIndices(e.list().optionalIndices());
        for (CelExpr element : e.list().elements()) {
          l.addElements(shift(element, by, max));
        }
        b.setList(l.build());
      }
      case STRUCT -> {
        CelExpr.CelStruct.Builder st = CelExpr.CelStruct.newBuilder().setMessageName(e.struct().messageName());
        for (CelExpr.CelStruct.Entry entry : e.struct().entries()) {
          max[0] = Math.max(max[0], entry.id() + by);
          st.addEntries(entry.toBuilder().setId(entry.id() + by).setValue(shift(entry.value(), by, max)).build());
        }
        b.setStruct(st.build());
      }
      case MAP -> {
        CelExpr.CelMap.Builder m = CelExpr.CelMap.newBuilder();
        for (CelExpr.CelMap.Entry entry : e.map().entries()) {
          max[0] = Math.max(max[0], entry.id() + by);
          m.addEntries(entry.toBuilder().setId(entry.id() + by).setKey(shift(entry.key(), by, max))
              .setValue(shift(entry.value(), by, max)).build());
        }
        b.setMap(m.build());
      }
      case COMPREHENSION -> {
        CelExpr.CelComprehension c = e.comprehension();
        b.setComprehension(c.toBuilder().setIterRange(shift(c.iterRange(), by, max))
            .setAccuInit(shift(c.accuInit(), by, max)).setLoopCondition(shift(c.loopCondition(), by, max))
            .setLoopStep(shift(c.loopStep(), by, max)).setResult(shift(c.result(), by, max)).build());
      }
      default -> { } // constants, identifiers and unset nodes have no children
    }
    return b.build();
  }
}
