#!/usr/bin/env python3
"""The seed tutorial's PyTorch experiment, logging to Trainyard instead of Weights & Biases.

A hand-built RNN cell (i2h, h2h, h2o, tanh; hidden 35) learns to reproduce one sentence from
one-hot characters with start/end markers: MSE, Adam 0.01, 1000 epochs, loss logged each epoch.

Its tracking calls are the tutorial's own, verbatim: wandb.init(project='...', entity='...'),
wandb.run.name = 'rnn' and wandb.log({'loss': ...}) each epoch. The port is one line:

    import wandb                    # before
    import trainyard as wandb       # after: nothing else changes

Run it (Debian: apt-get install python3-torch, then use /usr/bin/python3):

    TRAINYARD_URL=http://localhost:8080 PYTHONPATH=clients/python /usr/bin/python3 examples/seed_rnn_pytorch.py

(or `pip install ./clients/python` once instead of PYTHONPATH). The run appears on the dashboard
(http://localhost:8080/runs), named rnn in project "...", and its loss curve fills in while it
trains. With no server running, it trains all the same and keeps the run in the offline journal
(~/.trainyard/journal) for `python -m trainyard sync`.

Unlike the tutorial, generation feeds back the one-hot of the argmax rather than the raw output
vector; fed its raw output, the cell prints garbage after "hello".
"""
import argparse
import time

import torch
import torch.nn as nn

import trainyard as wandb  # was: import wandb

SENTENCE = "hello pytorch. how long can a rnn cell remember?"
CHARS = "abcdefghijklmnopqrstuvwxyz ?!.,:;01"  # the last two are the start and end markers
HIDDEN = 35


def one_hot(rows, n):
    x = torch.zeros(len(rows), n)
    for i, r in enumerate(rows):
        x[i, r] = 1.0
    return x


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--epochs", type=int, default=1000)
    p.add_argument("--print-every", type=int, default=100, help="print the loss every N epochs (1: every epoch)")
    a = p.parse_args()
    torch.manual_seed(1)
    torch.set_num_threads(1)

    n = len(CHARS)
    start, end = n - 2, n - 1
    data = one_hot([start] + [CHARS.index(c) for c in SENTENCE] + [end], n)
    i2h, h2h, h2o = nn.Linear(n, HIDDEN), nn.Linear(HIDDEN, HIDDEN), nn.Linear(HIDDEN, n)
    params = [*i2h.parameters(), *h2h.parameters(), *h2o.parameters()]
    optimizer, criterion = torch.optim.Adam(params, lr=0.01), nn.MSELoss()

    wandb.init(project='...', entity='...')
    wandb.run.name = 'rnn'
    steps = data.size(0) - 1
    t0 = time.perf_counter()
    for epoch in range(a.epochs):
        optimizer.zero_grad()
        hidden, total = torch.zeros(1, HIDDEN), 0
        for j in range(steps):
            hidden = torch.tanh(i2h(data[j:j + 1]) + h2h(hidden))
            total = total + criterion(h2o(hidden).view(-1), data[j + 1])
        total.backward()
        optimizer.step()
        loss = total.item() / steps  # mean per character, as Trainyard's own seed-rnn job logs it
        wandb.log({'loss': loss})
        if a.print_every and (epoch % a.print_every == 0 or epoch == a.epochs - 1):
            print("epoch %d loss %r" % (epoch, loss), flush=True)
    seconds = time.perf_counter() - t0

    with torch.no_grad():
        x, hidden, text = data[0:1], torch.zeros(1, HIDDEN), ""
        for _ in range(len(SENTENCE)):
            hidden = torch.tanh(i2h(x) + h2h(hidden))
            index = int(h2o(hidden).argmax())
            if index == end:
                break
            text += CHARS[index]
            x = one_hot([index], n)  # the tutorial fed back h2o's raw output here
    print("generated %r (exact: %s) in %.1f s, %.2f ms/epoch" % (text, text == SENTENCE, seconds,
                                                                  seconds / a.epochs * 1000))
    print("run %s: %s" % (wandb.run.id, wandb.run.url))
    wandb.finish()


if __name__ == "__main__":
    main()
