package dev.portcullis.policy;

/**
 * A condition compiled to plain Java at load ({@link ExprParser}), for the shapes most policies use: comparisons,
 * {@code in}, {@code startsWith}/{@code endsWith}/{@code contains}, {@code matches}, {@code size}, {@code has},
 * arithmetic, {@code ?:}, {@code !}, {@code &&}, {@code ||}, the macros {@code all}/{@code exists}/{@code exists_one},
 * the conversions {@code int}/{@code double}/{@code string}, duration literals, {@code now} and
 * {@code business_hours} over the call's arguments, the agent, the session and the tool. Evaluates exactly as CEL
 * would (the differential test compiles every shape both ways), including errors: a missing key or a wrong type
 * throws {@link EvalError}, which denies the call. Boolean nodes yield {@link Boolean#TRUE} or {@link Boolean#FALSE}.
 */
sealed interface Expr {
  Object eval(Activation vars);

  /** A constant: String, Long, Double, Boolean, CEL null, a list of constants, or a Duration. */
  record Literal(Object value) implements Expr {
    @Override
    public Object eval(Activation vars) {
      return value;
    }
  }

  /** {@code args.a.b}, {@code agent.attributes.region}, {@code session.labels}: a variable, then map keys. */
  record Path(Activation.Root root, String first, String[] rest, String text) implements Expr {
    @Override
    public Object eval(Activation vars) {
      Object v = vars.field(root, first, text);
      for (String key : rest) {
        v = Values.select(v, key, text);
      }
      return v;
    }
  }

  /** {@code a == b}, or {@code a != b} when negated. */
  record Equals(Expr left, Expr right, boolean negated) implements Expr {
    @Override
    public Object eval(Activation vars) {
      return Values.equal(left.eval(vars), right.eval(vars)) != negated;
    }
  }

  /** {@code <}, {@code <=}, {@code >}, {@code >=}. */
  record Order(Expr left, Expr right, Op op) implements Expr {
    enum Op {
      LT("<"), LE("<="), GT(">"), GE(">=");

      final String symbol;

      Op(String symbol) {
        this.symbol = symbol;
      }
    }

    @Override
    public Object eval(Activation vars) {
      return Values.order(left.eval(vars), right.eval(vars), op);
    }
  }

  /** {@code element in container}. */
  record In(Expr element, Expr container) implements Expr {
    @Override
    public Object eval(Activation vars) {
      return Values.in(element.eval(vars), container.eval(vars));
    }
  }

  /** {@code s.startsWith(x)}, {@code s.endsWith(x)}, {@code s.contains(x)}. */
  record StringTest(Expr receiver, Expr argument, Fn fn) implements Expr {
    enum Fn {
      STARTS_WITH("startsWith"), ENDS_WITH("endsWith"), CONTAINS("contains");

      final String name;

      Fn(String name) {
        this.name = name;
      }
    }

    @Override
    public Object eval(Activation vars) {
      String s = Values.requireString(receiver.eval(vars), fn.name + "()");
      String x = Values.requireString(argument.eval(vars), fn.name + "()");
      return switch (fn) {
        case STARTS_WITH -> s.startsWith(x);
        case ENDS_WITH -> s.endsWith(x);
        case CONTAINS -> s.contains(x);
      };
    }
  }

  /** {@code size(x)} or {@code x.size()}: code points of a string, elements of a list or map. */
  record Size(Expr of) implements Expr {
    @Override
    public Object eval(Activation vars) {
      return Values.size(of.eval(vars));
    }
  }

  record Not(Expr operand) implements Expr {
    @Override
    public Object eval(Activation vars) {
      return !(Boolean) operand.eval(vars);
    }
  }

  /** CEL's commutative {@code &&}: false if either side is false, even when the other fails. */
  record And(Expr left, Expr right) implements Expr {
    @Override
    public Object eval(Activation vars) {
      EvalError error;
      try {
        if (!(Boolean) left.eval(vars)) {
          return Boolean.FALSE;
        }
        error = null;
      } catch (EvalError e) {
        error = e;
      }
      if (!(Boolean) right.eval(vars)) {
        return Boolean.FALSE;
      }
      if (error != null) {
        throw error;
      }
      return Boolean.TRUE;
    }
  }

  /** CEL's commutative {@code ||}: true if either side is true, even when the other fails. */
  record Or(Expr left, Expr right) implements Expr {
    @Override
    public Object eval(Activation vars) {
      EvalError error;
      try {
        if ((Boolean) left.eval(vars)) {
          return Boolean.TRUE;
        }
        error = null;
      } catch (EvalError e) {
        error = e;
      }
      if ((Boolean) right.eval(vars)) {
        return Boolean.TRUE;
      }
      if (error != null) {
        throw error;
      }
      return Boolean.FALSE;
    }
  }

  /** {@code a + b}, {@code a - b}, {@code a * b}, {@code a / b}, {@code a % b}. */
  record Arithmetic(Expr left, Expr right, Values.Op op) implements Expr {
    @Override
    public Object eval(Activation vars) {
      return Values.arithmetic(left.eval(vars), right.eval(vars), op);
    }
  }

  /** {@code -x} of a value that is not a literal. */
  record Negate(Expr operand) implements Expr {
    @Override
    public Object eval(Activation vars) {
      return Values.negate(operand.eval(vars));
    }
  }

  /** {@code c ? a : b}: evaluates only the branch chosen; a condition that fails or is not a bool is an error. */
  record Conditional(Expr condition, Expr then, Expr otherwise) implements Expr {
    @Override
    public Object eval(Activation vars) {
      Object c = condition.eval(vars);
      if (Values.kind(c) != Values.Kind.BOOL) {
        throw new EvalError("'?:' needs a bool condition, found " + Values.describe(c));
      }
      return Values.bool(c) ? then.eval(vars) : otherwise.eval(vars);
    }
  }

  /**
   * {@code s.matches(re)}: RE2 syntax, true when the regex matches anywhere in {@code s} (CEL's partial match).
   * {@code compiled} is the regex compiled at load when it is a literal, else null (compiled per call).
   */
  record Matches(Expr receiver, Expr regex, com.google.re2j.Pattern compiled) implements Expr {
    @Override
    public Object eval(Activation vars) {
      String s = Values.requireString(receiver.eval(vars), "matches()");
      com.google.re2j.Pattern p = compiled;
      if (p == null) {
        p = Values.regex(Values.requireString(regex.eval(vars), "matches()"));
      }
      return p.matcher(s).find();
    }
  }

  /** {@code has(x.key)}: whether the map {@code x} has {@code key}; {@code x} that is not a map is an error. */
  record Has(Expr target, String key, String text) implements Expr {
    @Override
    public Object eval(Activation vars) {
      return Values.has(target.eval(vars), key, text);
    }
  }

  /**
   * An iteration variable of a macro ({@code r} in {@code args.to.exists(r, r.endsWith("@acme.example"))}), then the
   * map keys read from it ({@code r.address.domain}); {@code slot} is the macro's nesting depth.
   */
  record Local(int slot, String[] keys, String text) implements Expr {
    @Override
    public Object eval(Activation vars) {
      Object v = vars.local(slot);
      for (String key : keys) {
        v = Values.select(v, key, text);
      }
      return v;
    }
  }

  /**
   * {@code range.all(x, p)}, {@code range.exists(x, p)}, {@code range.exists_one(x, p)} over the elements of a list or
   * the keys of a map, with CEL's error absorption: {@code all} is false if {@code p} is false for any element, even
   * when it failed for others, else the error, else true; {@code exists} the mirror image; {@code exists_one} visits
   * every element and fails if {@code p} fails for any.
   */
  record Comprehension(Expr range, int slot, Expr predicate, Macro macro) implements Expr {
    enum Macro {
      ALL("all"), EXISTS("exists"), EXISTS_ONE("exists_one");

      final String name;

      Macro(String name) {
        this.name = name;
      }
    }

    @Override
    public Object eval(Activation vars) {
      java.util.Iterator<?> elements = Values.elements(range.eval(vars), macro.name);
      if (macro == Macro.EXISTS_ONE) {
        int matches = 0;
        while (elements.hasNext()) {
          vars.bind(slot, elements.next());
          if ((Boolean) predicate.eval(vars)) {
            matches++;
          }
        }
        return matches == 1;
      }
      boolean decisive = macro == Macro.EXISTS; // the value that ends the loop: false for all, true for exists
      EvalError error = null;
      while (elements.hasNext()) {
        vars.bind(slot, elements.next());
        try {
          if ((Boolean) predicate.eval(vars) == decisive) {
            return decisive;
          }
        } catch (EvalError e) {
          error = e;
        }
      }
      if (error != null) {
        throw error;
      }
      return !decisive;
    }
  }

  /** {@code int(x)}, {@code double(x)}, {@code string(x)}, as {@link Functions} converts. */
  record Conversion(Expr operand, To to) implements Expr {
    enum To {
      INT, DOUBLE, STRING
    }

    @Override
    public Object eval(Activation vars) {
      Object v = operand.eval(vars);
      return switch (to) {
        case INT -> Functions.toInt(v);
        case DOUBLE -> Functions.toDouble(v);
        case STRING -> Functions.toText(v);
      };
    }
  }

  /** {@code now}: when the gateway received the call. */
  record Now() implements Expr {
    @Override
    public Object eval(Activation vars) {
      return vars.now();
    }
  }

  /**
   * {@code business_hours(at, zone)}; {@code fixed} is the zone resolved at load when {@code zone} is a literal, else
   * null (resolved per call; an unknown zone is an error).
   */
  record BusinessHours(Expr at, Expr zone, java.time.ZoneId fixed) implements Expr {
    @Override
    public Object eval(Activation vars) {
      Object time = at.eval(vars);
      java.time.ZoneId z = fixed;
      if (z == null) {
        String name = Values.requireString(zone.eval(vars), "business_hours()");
        z = Functions.zone(name).orElseThrow(
            () -> new EvalError("business_hours(): unknown time zone '" + name + "'"));
      }
      if (!(time instanceof java.time.Instant instant)) {
        throw new EvalError("business_hours() needs a timestamp, found " + Values.describe(time));
      }
      return Functions.businessHours(instant, z);
    }
  }

  /** The call's arguments as a whole ({@code args} in {@code has(args.x)}). */
  record Arguments() implements Expr {
    @Override
    public Object eval(Activation vars) {
      return vars.arguments();
    }
  }
}
