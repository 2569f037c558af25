package dev.jgrad.internal;

import dev.jgrad.autograd.Node;

import dev.jgrad.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Reverse-mode differentiation: walks the recorded graph from the output back to the leaves. */
public final class Backprop {
    private Backprop() {}

    /** Accumulates d(root)/d(leaf) into every leaf that requires grad; root must be a scalar. */
    public static void run(Tensor root) {
        if (root.size() != 1) {
            throw new IllegalArgumentException("backward() needs a scalar output, got shape " + root.shapeString());
        }
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward(): the output does not depend on any tensor that requires grad");
        }
        List<Tensor> order = topologicalOrder(root);
        var slot = root.gradSlot();
        root.device().kernels().fill(slot.buffer(), 1, 1f);
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            Node node = t.gradFn();
            if (node != null && t.hasGrad()) node.backward(t);
        }
    }

    /** Inputs before the ops that use them (iterative, so deep graphs cannot overflow the stack). */
    static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[]{root, 0});
        seen.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = t.gradFn() == null ? new Tensor[0] : t.gradFn().inputs();
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in.requiresGrad() && seen.put(in, Boolean.TRUE) == null) stack.push(new Object[]{in, 0});
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
