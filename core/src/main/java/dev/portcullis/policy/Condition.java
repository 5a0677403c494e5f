package dev.portcullis.policy;

import dev.cel.common.CelValidationResult;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import dev.portcullis.config.Mark;
import dev.portcullis.config.Problems;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A CEL expression ({@code when:} or a filter's {@code rows:}), compiled once at load; only evaluation happens per
 * call. A condition of a common shape becomes a Java {@link Expr}; any other is parsed, type-checked and planned by CEL
 * ({@link CelEnv}). Either way a typo in a variable name or a type error is a load error, and a missing field or a
 * wrong type at run time is an error that denies.
 */
final class Condition {
  /** Which variables an expression may use. */
  enum Scope {
    /** Grant and rule conditions: args, agent, session, tool, now. */
    CALL,
    /** Row filters: item, args, agent, now. */
    ROW
  }

  final String source;
  final Mark mark;
  /** The condition compiled to plain Java, when it has a shape {@link ExprParser} knows; otherwise null. */
  private final Expr fast;
  /** CEL's program, when there is no {@link #fast} form; otherwise null. */
  private final CelRuntime.Program program;

  private Condition(String source, Mark mark, Expr fast, CelRuntime.Program program) {
    this.source = source;
    this.mark = mark;
    this.fast = fast;
    this.program = program;
  }

  /**
   * Planned programs by scope and source. Type-checking costs about a millisecond per expression, so a policy repeats
   * no work for a repeated expression, and a reload recompiles only what changed. Programs are immutable and
   * thread-safe.
   */
  private static final ConcurrentHashMap<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();
  /**
   * Java forms of call conditions by source, filled by {@link #prewarm} on all cores so that the sequential pass of
   * the load does not parse each condition a second time. Expressions are immutable and thread-safe.
   */
  private static final ConcurrentHashMap<String, Expr> JAVA_FORMS = new ConcurrentHashMap<>();
  private static final int CACHE_LIMIT = 20_000;

  /**
   * Compiles every CEL expression not compiled yet, so the sequential load finds them ready: expressions of a Java
   * shape are compiled to Java on all cores and kept; the rest are type-checked by CEL in batches ({@link CelBatch}),
   * the batches in parallel on all cores.
   * Whatever a batch leaves out (an expression with an error) is compiled alone by {@link #compile}, which reports it.
   */
  static void prewarm(Collection<String> callSources, Collection<String> rowSources) {
    List<String> call = callSources.stream().distinct()
        .filter(s -> !PROGRAMS.containsKey(key(s, Scope.CALL)) && !JAVA_FORMS.containsKey(s))
        .toList().parallelStream()
        .filter(s -> javaForm(s).isEmpty()).toList();
    List<String> row = rowSources.stream().distinct().filter(s -> !PROGRAMS.containsKey(key(s, Scope.ROW))).toList();
    List<Map.Entry<Scope, List<String>>> work = new ArrayList<>();
    for (int i = 0; i < call.size(); i += CelBatch.SIZE) {
      work.add(Map.entry(Scope.CALL, call.subList(i, Math.min(call.size(), i + CelBatch.SIZE))));
    }
    for (int i = 0; i < row.size(); i += CelBatch.SIZE) {
      work.add(Map.entry(Scope.ROW, row.subList(i, Math.min(row.size(), i + CelBatch.SIZE))));
    }
    if (work.isEmpty()) {
      return;
    }
    // CEL's runtime (needed only to plan checked expressions) is built on another core while the first batches check
    CompletableFuture.runAsync(CelEnv::runtime);
    work.parallelStream().forEach(w -> {
      Scope scope = w.getKey();
      CelBatch.check(CelEnv.compiler(scope), CelEnv.batchCompiler(scope), w.getValue())
          .forEach((source, ast) -> {
            try {
              cache(key(source, scope), CelEnv.runtime().createProgram(ast));
            } catch (Exception e) {
              // left for compile(), which plans it alone and reports the problem
            }
          });
    });
  }

  /** Whether a program for this expression is ready (compiled by {@link #prewarm} or an earlier load). */
  static boolean isCached(String source, Scope scope) {
    return PROGRAMS.containsKey(key(source, scope));
  }

  /** The Java form of a call condition, from {@link #JAVA_FORMS} or compiled now (and kept); empty for CEL's shapes. */
  private static Optional<Expr> javaForm(String source) {
    Expr known = JAVA_FORMS.get(source);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<Expr> compiled = ExprParser.compile(source);
    compiled.ifPresent(e -> {
      if (JAVA_FORMS.size() > CACHE_LIMIT) {
        JAVA_FORMS.clear();
      }
      JAVA_FORMS.put(source, e);
    });
    return compiled;
  }

  private static String key(String source, Scope scope) {
    return scope.name() + '\u0000' + source;
  }

  private static void cache(String key, CelRuntime.Program program) {
    if (PROGRAMS.size() > CACHE_LIMIT) {
      PROGRAMS.clear();
    }
    PROGRAMS.put(key, program);
  }

  /** The planned program, or null when the expression does not compile (the caller reports why). */
  private static CelRuntime.Program program(String source, Scope scope) {
    String key = key(source, scope);
    CelRuntime.Program program = PROGRAMS.get(key);
    if (program != null) {
      return program;
    }
    CelValidationResult result = CelEnv.compiler(scope).compile(source);
    if (result.hasError()) {
      return null;
    }
    try {
      program = CelEnv.runtime().createProgram(result.getAst());
    } catch (Exception e) {
      return null;
    }
    cache(key, program);
    return program;
  }

  static Optional<Condition> compile(String source, Mark mark, Scope scope, String context, Problems problems) {
    if (scope == Scope.CALL) {
      Optional<Expr> fast = javaForm(source);
      if (fast.isPresent()) {
        return Optional.of(new Condition(source, mark, fast.get(), null));
      }
    }
    CelRuntime.Program cached = program(source, scope);
    if (cached != null) {
      return Optional.of(new Condition(source, mark, null, cached));
    }
    CelValidationResult result = CelEnv.compiler(scope).compile(source);
    if (result.hasError()) {
      problems.error(mark, "the condition of " + context + " does not compile:\n" + indent(result.getErrorString()),
          scope == Scope.CALL
              ? "conditions are CEL over args, agent, session, tool and now, and must yield true or false"
              : "row filters are CEL over item, args, agent and now, and must yield true or false");
      return Optional.empty();
    }
    try {
      return Optional.of(new Condition(source, mark, null, CelEnv.runtime().createProgram(result.getAst())));
    } catch (Exception e) {
      problems.error(mark, "the condition of " + context + " cannot be planned: " + e.getMessage(), "");
      return Optional.empty();
    }
  }

  /**
   * Evaluates a call condition to true or false; any runtime error (missing key, wrong type) is thrown to the caller,
   * who denies.
   */
  boolean test(Activation call) throws CelEvaluationException {
    return fast != null ? fast.eval(call) == Boolean.TRUE : Boolean.TRUE.equals(program.eval(call));
  }

  /** Evaluates a row filter (always CEL) to true or false; runtime errors are thrown as for {@link #test}. */
  boolean test(CelVariableResolver variables) throws CelEvaluationException {
    Object result = program.eval(variables);
    return Boolean.TRUE.equals(result);
  }

  /** Whether this condition runs as plain Java rather than through CEL's interpreter. */
  boolean compiledToJava() {
    return fast != null;
  }

  /** CEL's evaluation of the same expression, for tests that hold the two forms side by side. */
  static Optional<Condition> celOnly(String source, Scope scope, Problems problems) {
    CelValidationResult result = CelEnv.compiler(scope).compile(source);
    if (result.hasError()) {
      problems.error(Mark.NONE, "does not compile:\n" + indent(result.getErrorString()), "");
      return Optional.empty();
    }
    try {
      return Optional.of(new Condition(source, Mark.NONE, null, CelEnv.runtime().createProgram(result.getAst())));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static String indent(String text) {
    return "      " + text.replace("\n", "\n      ");
  }

  @Override
  public String toString() {
    return source;
  }
}
