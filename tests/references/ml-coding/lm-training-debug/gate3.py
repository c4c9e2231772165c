"""Train a bigram language model with gradient accumulation, in NumPy.

W has shape (vocab, vocab): W[a, b] is the logit that token b comes right after token a.
A batch is an int64 array of token ids, shape (batch, seq), right-padded with PAD.
The loss is the mean next-token cross-entropy over the real tokens being predicted.
"""

import numpy as np

PAD = 0


def log_softmax(logits):
    """Log-probabilities over the vocabulary, the last axis of logits."""
    # Shift by each row's max first: exp overflows above about 709 in float64 and 88 in float32. The
    # shift cancels out, and log of the shifted sum stays finite because the sum is at least 1.
    top = logits.max(axis=-1, keepdims=True)
    return logits - top - np.log(np.sum(np.exp(logits - top), axis=-1, keepdims=True))


def lm_loss(W, batch):
    """Mean cross-entropy of each next token given the token before it."""
    inputs, targets = batch[:, :-1], batch[:, 1:]  # position t predicts the token at t + 1
    log_probs = log_softmax(W[inputs])  # (batch, seq - 1, vocab)
    picked = np.take_along_axis(log_probs, targets[..., None], axis=-1)[..., 0]
    return -picked.mean()


def lm_loss_grad(W, batch):
    """Gradient of lm_loss with respect to W."""
    inputs, targets = batch[:, :-1], batch[:, 1:]
    probs = np.exp(log_softmax(W[inputs]))
    d_logits = probs - np.eye(W.shape[0])[targets]  # softmax minus one-hot target
    grad = np.zeros_like(W)
    np.add.at(grad, inputs, d_logits / targets.size)
    return grad


def train_step(W, micro_batches, lr):
    """One SGD step on the micro-batches together, as if they were one big batch."""
    grad = np.zeros_like(W)
    for micro_batch in micro_batches:
        grad += lm_loss_grad(W, micro_batch)
    return W - lr * grad


def greedy_continue(W, token, steps):
    """Follow the most likely next token from token, steps times."""
    out = [int(token)]
    for _ in range(steps):
        out.append(int(np.argmax(W[out[-1]])))
    return out


def toy_batch(rng, vocab, rows, seq):
    """Rows of a toy language where token t is usually followed by (3t + 1) mod vocab, right-padded."""
    batch = np.full((rows, seq), PAD, dtype=np.int64)
    for row in batch:
        length = rng.integers(seq // 2, seq + 1)
        token = rng.integers(1, vocab)
        for i in range(length):
            row[i] = token
            token = max(1, (3 * token + 1) % vocab) if rng.random() < 0.9 else rng.integers(1, vocab)
    return batch


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    vocab, W = 32, np.zeros((32, 32))
    for step in range(301):
        micro_batches = [toy_batch(rng, vocab, rows=8, seq=24) for _ in range(4)]
        W = train_step(W, micro_batches, lr=2.0)
        if step % 50 == 0:
            print(f"step {step:3d}  loss {lm_loss(W, np.concatenate(micro_batches)):.3f}")
    print("greedy from 5:", greedy_continue(W, 5, 8))
