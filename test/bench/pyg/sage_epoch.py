"""The PyTorch Geometric side of test/bench/sageTraining.bench.ts: the same 2-layer SAGEConv model on the same graph.

Reads the graph the bench wrote (DIR/meta.json, src.u32, dst.u32, x.f32, y.i32, train.u32) and builds one model and
AdamW optimizer per way PyG takes the edges: `edge_index` (the default: gather messages per edge, then scatter the
mean) and `sparse` (a CSR adjacency by destination, aggregated with one sparse-dense product). Prints one JSON line
(versions, torch's default thread count), then serves the bench one command per stdin line, so that its runs
interleave with the bench's own: `epoch WAY THREADS` (forward + loss + backward + update, full batch) or
`inference WAY THREADS` (every node's class probabilities), each answered by a JSON line {"seconds", "loss"}.
"""

import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
import torch_geometric
from torch_geometric.nn import SAGEConv
from torch_geometric.utils import to_torch_csr_tensor


class Net(torch.nn.Module):
    """SAGEConv(in, hidden) → ReLU → dropout → SAGEConv(hidden, hidden) → ReLU → dropout → Linear(hidden, classes)."""

    def __init__(self, in_channels: int, hidden: int, classes: int, dropout: float):
        super().__init__()
        self.convs = torch.nn.ModuleList([SAGEConv(in_channels, hidden), SAGEConv(hidden, hidden)])
        self.head = torch.nn.Linear(hidden, classes)
        self.dropout = dropout

    def forward(self, x: torch.Tensor, edges) -> torch.Tensor:
        for conv in self.convs:
            x = F.dropout(conv(x, edges).relu(), p=self.dropout, training=self.training)
        return self.head(x)


class Trainer:
    """One model with its optimizer on one way of passing the edges."""

    def __init__(self, meta: dict, x: torch.Tensor, y: torch.Tensor, train: torch.Tensor, edges):
        torch.manual_seed(0)
        self.model = Net(meta["features"], meta["hidden"], meta["classes"], meta["dropout"])
        self.optimizer = torch.optim.AdamW(
            self.model.parameters(), lr=meta["learningRate"], weight_decay=meta["weightDecay"]
        )
        self.x, self.y, self.train, self.edges = x, y, train, edges

    def epoch(self) -> float:
        self.model.train()
        self.optimizer.zero_grad()
        loss = F.cross_entropy(self.model(self.x, self.edges)[self.train], self.y[self.train])
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def inference(self) -> None:
        self.model.eval()
        with torch.no_grad():
            self.model(self.x, self.edges).softmax(-1)


def read(directory: Path, name: str, dtype) -> torch.Tensor:
    return torch.from_numpy(np.fromfile(directory / name, dtype=dtype))


def reply(value: dict) -> None:
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


def main() -> None:
    for noise in ("Sparse CSR tensor support is in beta state", "Sparse invariant checks are implicitly disabled"):
        warnings.filterwarnings("ignore", message=noise)
    directory = Path(sys.argv[1])
    meta = json.loads((directory / "meta.json").read_text())
    nodes, features = meta["nodes"], meta["features"]
    src = read(directory, "src.u32", np.uint32).long()
    dst = read(directory, "dst.u32", np.uint32).long()
    x = read(directory, "x.f32", np.float32).view(nodes, features)
    y = read(directory, "y.i32", np.int32).long()
    train = read(directory, "train.u32", np.uint32).long()
    # PyG's adj_t: rows are destinations (a repeated edge becomes one entry of value 2, as PyG merges it).
    adjacency = to_torch_csr_tensor(torch.stack([dst, src]), size=(nodes, nodes))
    trainers = {
        "edge_index": Trainer(meta, x, y, train, torch.stack([src, dst])),
        "sparse": Trainer(meta, x, y, train, adjacency),
    }
    reply({"threads": torch.get_num_threads(), "torch": torch.__version__, "torch_geometric": torch_geometric.__version__})
    for line in sys.stdin:
        command, way, threads = line.split()
        torch.set_num_threads(int(threads))
        trainer = trainers[way]
        started = time.perf_counter()
        loss = trainer.epoch() if command == "epoch" else trainer.inference()
        reply({"seconds": time.perf_counter() - started, "loss": loss})


if __name__ == "__main__":
    main()
