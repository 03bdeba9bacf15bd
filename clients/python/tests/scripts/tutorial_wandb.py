"""The seed tutorial's training script as a wandb user wrote it, with PyTorch replaced by plain Python.

Its tracking lines are the tutorial's own: wandb.init(project = '...', entity='...'),
wandb.run.name = 'rnn', and wandb.log({'loss': ...}) once per epoch for 1000 epochs. The model is a
character-bigram softmax trained by gradient descent on the tutorial's sentence (the tutorial's RNN
needs PyTorch); the tests run this file with `import wandb` changed to `import trainyard as wandb`.
"""
import math

import wandb

sentence = "hello pytorch. how long can a rnn cell remember?"
chars = "abcdefghijklmnopqrstuvwxyz ?!.,:;01"
n = len(chars)
data = [n - 2] + [chars.index(c) for c in sentence] + [n - 1]
weights = [[0.0] * n for _ in range(n)]
lr = 0.5

wandb.init(project = '...', entity='...')
wandb.run.name = 'rnn'

for epoch in range(1000):
    total = 0.0
    grads = [[0.0] * n for _ in range(n)]
    for a, b in zip(data, data[1:]):
        row = weights[a]
        top = max(row)
        exps = [math.exp(w - top) for w in row]
        z = sum(exps)
        total -= math.log(exps[b] / z)
        g = grads[a]
        for j in range(n):
            g[j] += exps[j] / z - (1.0 if j == b else 0.0)
    for a in range(n):
        for j in range(n):
            weights[a][j] -= lr * grads[a][j]
    loss = total / (len(data) - 1)
    wandb.log({'loss': loss})
    if epoch % 100 == 0:
        print(epoch, loss)
