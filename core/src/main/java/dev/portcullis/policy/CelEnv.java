package dev.portcullis.policy;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.time.Instant;

/**
 * CEL's compilers and runtime for conditions, each set up on first use: a policy whose conditions all compile to Java
 * ({@link ExprParser}) never pays for initializing CEL, and one without row filters never builds their compilers.
 * Variables are maps of {@code dyn}, so a typo in a variable name is a load error while field access is checked at
 * run time.
 */
final class CelEnv {
  private static final CelOptions OPTIONS = CelOptions.current()
      .enableHeterogeneousNumericComparisons(true)
      .build();
  private static final MapType DYN_MAP = MapType.create(SimpleType.STRING, SimpleType.DYN);
  /** {@code business_hours(now, "Europe/Berlin")}: Monday to Friday, 09:00 to 17:00 in that time zone. */
  private static final CelFunctionDecl BUSINESS_HOURS = CelFunctionDecl.newFunctionDeclaration("business_hours",
      CelOverloadDecl.newGlobalOverload("business_hours_timestamp_string", SimpleType.BOOL, SimpleType.TIMESTAMP,
          SimpleType.STRING));
  /** CEL's runtime; {@link #runtime()} builds it on first use. */
  private static final class Runtime {
    static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
        .setOptions(OPTIONS)
        .addFunctionBindings(CelFunctionBinding.from("business_hours_timestamp_string", Instant.class, String.class,
            Functions::businessHours))
        .build();
  }

  /** The compilers for call conditions, built on first use (a policy without CEL conditions never builds them). */
  private static final class Call {
    static final CelCompiler SINGLE = compiler(Condition.Scope.CALL, true);
    /** The same declarations without a result type, to check many expressions as one list ({@link CelBatch}). */
    static final CelCompiler BATCH = compiler(Condition.Scope.CALL, false);
  }

  /** The compilers for row filters, built on first use. */
  private static final class Row {
    static final CelCompiler SINGLE = compiler(Condition.Scope.ROW, true);
    static final CelCompiler BATCH = compiler(Condition.Scope.ROW, false);
  }

  private CelEnv() {}

  /** The compiler for one condition of this scope: it must yield a bool. */
  static CelCompiler compiler(Condition.Scope scope) {
    return scope == Condition.Scope.CALL ? Call.SINGLE : Row.SINGLE;
  }

  /** CEL's runtime, which plans checked expressions into programs. */
  static CelRuntime runtime() {
    return Runtime.RUNTIME;
  }

  /** The compiler that checks a list of conditions of this scope at once. */
  static CelCompiler batchCompiler(Condition.Scope scope) {
    return scope == Condition.Scope.CALL ? Call.BATCH : Row.BATCH;
  }

  private static CelCompiler compiler(Condition.Scope scope, boolean bool) {
    CelCompilerBuilder builder = CelCompilerFactory.standardCelCompilerBuilder()
        .setOptions(OPTIONS)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addFunctionDeclarations(BUSINESS_HOURS)
        .addVar("args", DYN_MAP)
        .addVar("agent", DYN_MAP)
        .addVar("now", SimpleType.TIMESTAMP);
    if (scope == Condition.Scope.CALL) {
      builder.addVar("session", DYN_MAP).addVar("tool", DYN_MAP);
    } else {
      builder.addVar("item", SimpleType.DYN);
    }
    if (bool) {
      builder.setResultType(SimpleType.BOOL);
    }
    return builder.build();
  }
}
