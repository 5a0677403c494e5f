package dev.portcullis.config;

import java.util.ArrayList;
import java.util.List;

/** Hand-written YAML texts, each exercising a corner of reading a policy file: valid ones first, then broken ones. */
final class YamlEdgeCases {
  private YamlEdgeCases() {}

  static List<String> all() {
    List<String> all = new ArrayList<>(List.of(
        "",
        "# only a comment\n",
        "---\n",
        "--- # empty document\n...\n",
        "~",
        "plain text",
        "[1, 2, 3]",
        """
        numbers: [0x1f, 0x_FF, 1_000, .5, +1, -1, 1e3, 1E-3, +0.5e+2, 012, 0o17, 0b101, -0b_11, 1:30, 1:30.5, -0, 3.,
          12345678901234567890, -9223372036854775809, 9223372036854775807]
        floats: [.inf, -.Inf, +.INF, .nan, .NaN, NaN, inf, 1.5e5.5]
        booleans: [true, True, TRUE, tRue, false, False, FALSE, yes, no, on, off, y, n]
        nulls: [~, null, Null, NULL, nuLL, '', "~", "null"]
        empty:
        empty-in-flow: {a: , b}
        dates: [2024-01-01, 2001-12-14t21:59:43.10-05:00]
        """,
        """
        block:
          - a
          -   b
          - - nested
            - seq
          - key: value
            other: 1
        indentless:
        - one
        - two: 2
        flow: {a: [1, {b: c}], 'quoted key': "v", "double": 'single', ? explicit : key}
        """,
        """
        literal: |
          line one
            indented
          line three
        kept: |+
          text

        stripped: |-
          text
        folded: >
          folded
          text

          new paragraph
        indicator: |2
            two extra
        plain: multi
          line plain
          scalar
        quoted: "multi
          line \\u00e9 \\t tab"
        single: 'it''s
          multi'
        """,
        """
        # leading comment
        a: 1 # trailing
        # between
        b: # after key
          - x # in list
        c: "# not a comment"
        d: x#y
        """,
        """
        "quoted": 1
        'single': 2
        ? complex
        : 3
        ? |
          block key
        : 4
        1: one
        ~: tilde
        null: word
        true: bool
        0x1f: hex
        """,
        """
        defaults: &defaults {tier: 1, region: EU}
        agent: *defaults
        list: &list [a, b]
        twice: [*list, *list]
        scalar: &s 0x10
        again: *s
        keyed: {*s : v}
        nested: &n
          inner: &i [1, 2]
          more: *i
        reuse: *n
        """,
        """
        explicit:
          s: !!str 123
          i: !!int "0x10"
          o: !!int 0o17
          bad: !!int 12abc
          f: !!float 1
          fi: !!float .INF
          b: !!bool yes
          bt: !!bool TRUE
          n: !!null anything
          bin: !!binary aGk=
          ts: !!timestamp 2001-12-14
          local: !custom value
          global: !<tag:example.com,2000:thing> value
          nonspecific: ! 12
          nonspecific-quoted: ! "12"
          empty-tagged: !!str
          anchored-empty: &e
          seq: !!seq [a]
          map: !!map {a: 1}
          weird: !!str {a: 1}
        """,
        """
        %YAML 1.1
        %TAG !e! tag:example.com,2000:
        ---
        a: !e!thing value
        """,
        """
        a: 1
        b: 2
        a: 3
        nested: {x: 1, x: 2, y: {z: 1, z: 2}}
        """,
        """
        base: &b {k: 1, k: 2}
        first: *b
        second: [*b, *b]
        """,
        """
        merge:
          <<: {a: 1}
          b: 2
        quoted-merge:
          "<<": ok
        tagged-merge:
          !!merge x: y
        anchored: &m <<
        used: {*m : 1}
        """,
        """
        [a, b]: list key
        {c: d}: map key
        ? [e, {f: g, f: h}]
        : value
        after: 1
        """,
        """
        a: 1
        ---
        b: 2
        ---
        c: 3
        """,
        "a: 1\n---\n",
        "a: 1\n...\n",
        """
        tabs:\t"value"
        """,
        "é: ünïcödé\n日本: 語\nemoji: \"\\U0001F600\"\n😀: 1\n"));
    all.addAll(broken());
    all.addAll(deep());
    return all;
  }

  private static List<String> broken() {
    return List.of(
        "a: [1, 2\n",
        "a: {b: 1\n",
        "a: 'unclosed\n",
        "a: \"unclosed\n",
        "a:\n  b: 1\n c: 2\n",
        "a: b: c\n",
        "- a\nb: 1\n",
        "a: *undefined\n",
        "a: &x 1\n---\nb: *x\n",
        "a: !!python/object:os.system x\n",
        "a: !!foo x\n",
        "a: !e!x y\n",
        "a: @at\n",
        "a: `tick\n",
        "a:\n\t- tab\n",
        "a: \u0001 control\n",
        "key: value\n  - bad\n",
        "a: 1\n---\nb: [\n",
        "%YAML 2.0\n---\na: 1\n",
        "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
        "a: 1\n--- !!str\n",
        "? a\n? a\n",
        "a: |\n text\n  more\n less\n",
        "\"a\": 1\n\"a\": 2\n",
        "a: &x [1]\nb: &x [2]\nc: *x\n",
        ("- " + "y".repeat(77) + "\n").repeat(110_000)); // beyond the limit of 8 Mi code points
  }

  /** Nesting at the composer's limit and past it, and aliases that nest deeper than 64 levels. */
  private static List<String> deep() {
    String fifty = "[".repeat(50) + "x" + "]".repeat(50);
    String fiftyOne = "[".repeat(51) + "x" + "]".repeat(51);
    String deepMap = "{a: ".repeat(50) + "x" + "}".repeat(50);
    StringBuilder chain = new StringBuilder("l0: &l0 " + "[".repeat(40) + "x" + "]".repeat(40) + "\n");
    for (int i = 1; i <= 3; i++) {
      chain.append("l").append(i).append(": &l").append(i).append(" ")
          .append("[".repeat(20)).append("*l").append(i - 1).append("]".repeat(20)).append('\n');
    }
    return List.of(
        fifty,
        fiftyOne,
        "a: " + fifty,
        "a: " + deepMap,
        chain.toString(),
        "a: &a [*a]\n",
        "a: &a {k: *a}\n",
        "a: &a {k: *a, k: *a, j: 1}\n",
        "a: &a [" + "[".repeat(45) + "*a" + "]".repeat(45) + ", *a]\n",
        "a: &a {b: &b [*a, x], c: 1}\nd: *b\n",
        "a: &a [{*a : 1}]\n",
        "a: &a [x]\nb: [" + "*a, ".repeat(20) + "*a]\n",
        "a: &a [x]\nb: [" + "*a, ".repeat(19) + "*a]\n");
  }
}
