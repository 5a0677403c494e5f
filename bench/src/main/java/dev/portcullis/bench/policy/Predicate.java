package dev.portcullis.bench.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One condition of a generated grant or rule, written once and rendered twice: as Portcullis CEL ({@code when:}) and as
 * the equivalent Cedar expression. To benchmark a new kind of condition, add a record here with both renderings and
 * let {@link ModelGenerator} draw it.
 */
sealed interface Predicate {
  /** The condition as a Portcullis {@code when:} CEL expression. */
  String cel();

  /** The same condition as a Cedar expression over {@code principal}, {@code resource} and {@code context}. */
  String cedar();

  /** {@code args.<arg> <= limit}. */
  record ArgAtMost(String arg, long limit) implements Predicate {
    public String cel() {
      return "args." + arg + " <= " + limit;
    }

    public String cedar() {
      return "context.args." + arg + " <= " + limit;
    }
  }

  /** {@code args.<arg> >= limit}. */
  record ArgAtLeast(String arg, long limit) implements Predicate {
    public String cel() {
      return "args." + arg + " >= " + limit;
    }

    public String cedar() {
      return "context.args." + arg + " >= " + limit;
    }
  }

  /** A string argument ends with a suffix (Cedar: {@code like "*suffix"}). */
  record ArgEndsWith(String arg, String suffix) implements Predicate {
    public String cel() {
      return "args." + arg + ".endsWith(" + Quote.cel(suffix) + ")";
    }

    public String cedar() {
      return "context.args." + arg + " like " + Quote.cedarLike("*", suffix, "");
    }
  }

  /** A string argument starts with a prefix (Cedar: {@code like "prefix*"}). */
  record ArgStartsWith(String arg, String prefix) implements Predicate {
    public String cel() {
      return "args." + arg + ".startsWith(" + Quote.cel(prefix) + ")";
    }

    public String cedar() {
      return "context.args." + arg + " like " + Quote.cedarLike("", prefix, "*");
    }
  }

  /** A string argument contains a part (Cedar: {@code like "*part*"}). */
  record ArgContains(String arg, String part) implements Predicate {
    public String cel() {
      return "args." + arg + ".contains(" + Quote.cel(part) + ")";
    }

    public String cedar() {
      return "context.args." + arg + " like " + Quote.cedarLike("*", part, "*");
    }
  }

  /** An argument equals one of the agent's attributes ({@code args.region == agent.attributes.region}). */
  record ArgIsAgentAttribute(String arg, String attribute) implements Predicate {
    public String cel() {
      return "args." + arg + " == agent.attributes." + attribute;
    }

    public String cedar() {
      return "context.args." + arg + " == principal." + attribute;
    }
  }

  /** A numeric agent attribute is at least a value ({@code agent.attributes.tier >= 3}). */
  record AgentAtLeast(String attribute, long value) implements Predicate {
    public String cel() {
      return "agent.attributes." + attribute + " >= " + value;
    }

    public String cedar() {
      return "principal." + attribute + " >= " + value;
    }
  }

  /** A text agent attribute has a value ({@code agent.attributes.team == "payments"}). */
  record AgentIs(String attribute, String value) implements Predicate {
    public String cel() {
      return "agent.attributes." + attribute + " == " + Quote.cel(value);
    }

    public String cedar() {
      return "principal." + attribute + " == " + Quote.cedar(value);
    }
  }

  /** The session has collected a flow label from an earlier call. */
  record SessionHasLabel(String label) implements Predicate {
    public String cel() {
      return Quote.cel(label) + " in session.labels";
    }

    public String cedar() {
      return "context.session.labels.contains(" + Quote.cedar(label) + ")";
    }
  }

  /** A tool was already called in the session. */
  record SessionCalled(String tool) implements Predicate {
    public String cel() {
      return Quote.cel(tool) + " in session.tools_called";
    }

    public String cedar() {
      return "context.session.tools_called.contains(" + Quote.cedar(tool) + ")";
    }
  }

  /** Fewer than {@code limit} calls so far in the session. */
  record SessionCallsBelow(long limit) implements Predicate {
    public String cel() {
      return "session.calls < " + limit;
    }

    public String cedar() {
      return "context.session.calls < " + limit;
    }
  }

  /** The tool declares {@code readOnlyHint: true}. */
  record ToolReadOnly() implements Predicate {
    public String cel() {
      return "tool.annotations.readOnlyHint == true";
    }

    public String cedar() {
      return "resource.readOnly == true";
    }
  }

  /** Negation. */
  record Not(Predicate inner) implements Predicate {
    public String cel() {
      return "!(" + inner.cel() + ")";
    }

    public String cedar() {
      return "!(" + inner.cedar() + ")";
    }
  }

  /** Conjunction. */
  record All(List<Predicate> parts) implements Predicate {
    public All {
      parts = List.copyOf(parts);
    }

    public String cel() {
      return parts.stream().map(p -> "(" + p.cel() + ")").collect(Collectors.joining(" && "));
    }

    public String cedar() {
      return parts.stream().map(p -> "(" + p.cedar() + ")").collect(Collectors.joining(" && "));
    }
  }

  /** Disjunction. */
  record Any(List<Predicate> parts) implements Predicate {
    public Any {
      parts = List.copyOf(parts);
    }

    public String cel() {
      return parts.stream().map(p -> "(" + p.cel() + ")").collect(Collectors.joining(" || "));
    }

    public String cedar() {
      return parts.stream().map(p -> "(" + p.cedar() + ")").collect(Collectors.joining(" || "));
    }
  }
}
