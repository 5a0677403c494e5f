package dev.portcullis.cli;

/** A program for {@link JvmCacheScriptTest} to start with and without the JVM's start-up cache: it says "ready". */
public final class CacheProbeMain {
  private CacheProbeMain() {}

  public static void main(String[] args) {
    System.out.println(java.util.regex.Pattern.compile("re+a.y").matcher("reeaDy").find() ? "ready" : "broken");
  }
}
