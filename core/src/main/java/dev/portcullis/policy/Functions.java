package dev.portcullis.policy;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * The functions compiled conditions ({@link Expr}) call — the conversions {@code int}, {@code double} and
 * {@code string}, {@code duration} of a literal, and Portcullis's {@code business_hours} — computed exactly as CEL's
 * standard overloads ({@code dev.cel:cel}) compute them. None of this touches CEL, so a policy whose conditions all
 * compile to Java never initializes it; {@link CelEnv} binds {@link #businessHours} for the conditions it runs.
 */
final class Functions {
  /** The largest duration CEL accepts (that of {@code google.protobuf.Duration}): 10,000 years of 365.25 days. */
  private static final Duration DURATION_MAX = Duration.ofDays(3_652_500);

  private Functions() {}

  /**
   * {@code int(v)}: an int as it is; a double truncated toward zero, an error unless its exponent is below 63 (so
   * ±2^63 and beyond, NaN and the infinities are errors); a string as {@link Long#parseLong} reads it (a sign, decimal
   * digits); a timestamp as its seconds since the epoch; anything else an error.
   */
  static long toInt(Object v) {
    return switch (Values.kind(v)) {
      case INT -> Values.longValue(v);
      case DOUBLE -> {
        double d = Values.doubleValue(v);
        if (Math.getExponent(d) >= 63) {
          throw new EvalError("int(): " + d + " is out of the range of int");
        }
        yield (long) d;
      }
      case STRING -> {
        String s = Values.string(v);
        try {
          yield Long.parseLong(s);
        } catch (NumberFormatException e) {
          throw new EvalError("int(): '" + s + "' is not an int");
        }
      }
      case TIMESTAMP -> ((Instant) v).getEpochSecond();
      default -> throw new EvalError("int() needs an int, a double, a string or a timestamp, found "
          + Values.describe(v));
    };
  }

  /** {@code double(v)}: a double as it is, an int converted, a string as {@link Double#parseDouble} reads it. */
  static double toDouble(Object v) {
    return switch (Values.kind(v)) {
      case DOUBLE -> Values.doubleValue(v);
      case INT -> (double) Values.longValue(v);
      case STRING -> {
        String s = Values.string(v);
        try {
          yield Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new EvalError("double(): '" + s + "' is not a number");
        }
      }
      default -> throw new EvalError("double() needs an int, a double or a string, found " + Values.describe(v));
    };
  }

  /**
   * {@code string(v)}: a string as it is; an int, a double ({@link Double#toString}: {@code 1.0E20}) or a bool as
   * Java writes it, which is what CEL's overloads do.
   */
  static String toText(Object v) {
    return switch (Values.kind(v)) {
      case STRING -> Values.string(v);
      case INT -> Long.toString(Values.longValue(v));
      case DOUBLE -> Double.toString(Values.doubleValue(v));
      case BOOL -> Boolean.toString(Values.bool(v));
      default -> throw new EvalError("string() needs a string, an int, a double or a bool, found "
          + Values.describe(v));
    };
  }

  /**
   * A {@code duration("...")} literal, read as CEL reads it (Go's format, through threeten-extra's
   * {@code AmountFormats.parseUnitBasedDuration}): an optional sign, then numbers of up to 9 digits, each with an
   * optional fraction of up to 9 digits and a unit ({@code h m s ms us ns}), or {@code 0}. Empty for anything else —
   * other spellings, longer numbers, a duration beyond CEL's range — which CEL then evaluates (and may reject).
   */
  static Optional<Duration> durationLiteral(String text) {
    int pos = 0;
    boolean negative = false;
    if (text.startsWith("-") || text.startsWith("+")) {
      negative = text.charAt(0) == '-';
      pos = 1;
    }
    if (text.substring(pos).equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    if (pos == text.length()) {
      return Optional.empty();
    }
    Duration total = Duration.ZERO;
    while (pos < text.length()) {
      int start = pos;
      pos = digits(text, pos);
      if (pos == start || pos - start > 9) {
        return Optional.empty();
      }
      long whole = Long.parseLong(text.substring(start, pos));
      long fraction = 0;
      long scale = 1;
      if (pos < text.length() && text.charAt(pos) == '.') {
        int from = ++pos;
        pos = digits(text, pos);
        if (pos == from || pos - from > 9) {
          return Optional.empty();
        }
        fraction = Long.parseLong(text.substring(from, pos));
        scale = (long) Math.pow(10, pos - from);
      }
      Duration unit = null;
      for (String u : new String[] {"ns", "us", "ms", "s", "m", "h"}) { // longest first, as the parser tries them
        if (text.startsWith(u, pos)) {
          unit = switch (u) {
            case "ns" -> Duration.ofNanos(1);
            case "us" -> Duration.ofNanos(1_000);
            case "ms" -> Duration.ofMillis(1);
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            default -> Duration.ofHours(1);
          };
          pos += u.length();
          break;
        }
      }
      if (unit == null) {
        return Optional.empty();
      }
      // the fraction is truncated to whole nanoseconds, as Duration.dividedBy does for the parser
      total = total.plus(unit.multipliedBy(whole)).plus(unit.multipliedBy(fraction).dividedBy(scale));
    }
    Duration value = negative ? total.negated() : total;
    if (value.compareTo(DURATION_MAX) > 0 || value.compareTo(DURATION_MAX.negated()) < 0) {
      return Optional.empty();
    }
    return Optional.of(value);
  }

  private static int digits(String text, int pos) {
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    return pos;
  }

  /** The time zone {@code business_hours} names, or empty when {@link ZoneId#of} rejects the name. */
  static Optional<ZoneId> zone(String name) {
    try {
      return Optional.of(ZoneId.of(name));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code business_hours(at, zone)}: Monday to Friday, 09:00 to 17:00 in that time zone; an unknown zone is an
   * error.
   */
  static boolean businessHours(Instant at, String zone) {
    return businessHours(at, zone(zone).orElseThrow(
        () -> new IllegalArgumentException("business_hours(): unknown time zone '" + zone + "'")));
  }

  static boolean businessHours(Instant at, ZoneId zone) {
    ZonedDateTime local = at.atZone(zone);
    DayOfWeek day = local.getDayOfWeek();
    return day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY && local.getHour() >= 9 && local.getHour() < 17;
  }
}
