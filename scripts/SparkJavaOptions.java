/** Prints the JVM options Spark needs on JDK 17+ (its --add-opens list), as Spark's own launcher computes them. */
public class SparkJavaOptions {
    public static void main(String[] args) {
        System.out.println(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptions());
    }
}
