# Sourced by ./jgrad and benchmarks/jit-check.sh: the JVM options that bring the CPU backend to full speed early.
#
# The CPU backend's kernels run the Vector API's slow Java fallbacks until C2 compiles them: a twentieth of the
# usual call and loop counts sends them to the compiler sooner. The Vector API's own methods get the same
# scaling: C2 inlines them into a kernel only as far as their call profiles reach, and a kernel compiled before
# those profiles exist calls the slow fallbacks for good (with only the kernels scaled, 13 of 21 runs at
# 0.01 trained 15x slower from start to end; with both scaled, none in 38). Which kernels win that race depends
# on the order of compiles, so a change to the CPU kernels can bring it back: benchmarks/jit-check.sh counts it.
jgrad_jit_opts="-XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,dev/jgrad/cpu/*.*,0.05"
jgrad_jit_opts="$jgrad_jit_opts -XX:CompileCommand=CompileThresholdScaling,jdk/incubator/vector/*.*,0.05"
# On fewer than four CPUs the JVM starts one C2 compiler thread, and in the first seconds its queue is what the
# kernels wait for (the warm-up, the loading and C1 share the cores with it): a second C2 thread takes a larger
# share of the cores for compiling. Four CPUs or more already get at least two.
if [ "$(nproc 2>/dev/null || echo 4)" -lt 4 ]; then
  jgrad_jit_opts="$jgrad_jit_opts -XX:CICompilerCount=3"
fi
