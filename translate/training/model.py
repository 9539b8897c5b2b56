"""A pre-norm Transformer encoder-decoder whose weights map 1:1 onto CTranslate2.

Layout, chosen to match ``ctranslate2.specs.TransformerSpec.from_config(
(encoder_layers, decoder_layers), heads, pre_norm=True)``:

* one embedding matrix shared by encoder input, decoder input and the output
  projection, multiplied by ``sqrt(d_model)`` on input (``scale_embeddings``);
* fixed sinusoidal positions (exported explicitly as ``position_encodings``);
* self-attention with one fused ``qkv`` projection (CTranslate2 ``linear[0]``),
  cross-attention with ``q`` and fused ``kv`` projections;
* ReLU feed-forward; LayerNorm (eps 1e-6) before every block and at the end of
  each stack.

Imports PyTorch at module level: import this module only when training.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from translate.training.config import ModelConfig
from translate.training.spm import BOS_ID, EOS_ID, PAD_ID

LAYER_NORM_EPS = 1e-6


def sinusoidal_positions(max_positions: int, d_model: int) -> Tensor:
    """Positions × d_model table: sines in the first half, cosines in the second."""
    half = d_model // 2
    scale = math.log(10000.0) / max(half - 1, 1)
    frequencies = torch.exp(torch.arange(half, dtype=torch.float32) * -scale)
    angles = torch.arange(max_positions, dtype=torch.float32)[:, None] * frequencies[None, :]
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)


class Attention(nn.Module):
    """Multi-head attention; fused projections as CTranslate2 stores them."""

    def __init__(self, config: ModelConfig, self_attention: bool) -> None:
        super().__init__()
        d = config.d_model
        self.heads = config.heads
        self.dropout = config.attention_dropout
        self.layer_norm = nn.LayerNorm(d, eps=LAYER_NORM_EPS)
        self.self_attention = self_attention
        if self_attention:
            self.qkv = nn.Linear(d, 3 * d)
        else:
            self.q = nn.Linear(d, d)
            self.kv = nn.Linear(d, 2 * d)
        self.out = nn.Linear(d, d)

    def _split(self, x: Tensor) -> Tensor:
        batch, length, d = x.shape
        return x.view(batch, length, self.heads, d // self.heads).transpose(1, 2)

    def forward(
        self,
        x: Tensor,
        memory: Tensor | None = None,
        mask: Tensor | None = None,
        causal: bool = False,
    ) -> Tensor:
        """Attend from normalised ``x`` to itself or to ``memory`` (``mask``: True = allowed)."""
        h = self.layer_norm(x)
        if self.self_attention:
            q, k, v = self.qkv(h).chunk(3, dim=-1)
        else:
            assert memory is not None
            q = self.q(h)
            k, v = self.kv(memory).chunk(2, dim=-1)
        attended = F.scaled_dot_product_attention(
            self._split(q),
            self._split(k),
            self._split(v),
            attn_mask=mask,
            dropout_p=self.dropout if self.training else 0.0,
            is_causal=causal and mask is None,
        )
        batch, _, length, _ = attended.shape
        output: Tensor = self.out(attended.transpose(1, 2).reshape(batch, length, -1))
        return output

    def memory_kv(self, memory: Tensor) -> tuple[Tensor, Tensor]:
        """Cross-attention keys and values of the encoder states, computed once per sentence."""
        k, v = self.kv(memory).chunk(2, dim=-1)
        return self._split(k), self._split(v)

    def step(
        self, x: Tensor, cache: dict[str, Tensor], memory_mask: Tensor | None = None
    ) -> Tensor:
        """Attention for one new position during decoding.

        Self-attention appends this position's keys and values to ``cache``;
        cross-attention reads the ``cache`` filled by :meth:`memory_kv`.
        """
        h = self.layer_norm(x)
        if self.self_attention:
            q, k, v = self.qkv(h).chunk(3, dim=-1)
            k, v = self._split(k), self._split(v)
            if "k" in cache:
                k = torch.cat([cache["k"], k], dim=2)
                v = torch.cat([cache["v"], v], dim=2)
            cache["k"], cache["v"] = k, v
            mask = None
        else:
            q = self.q(h)
            k, v = cache["k"], cache["v"]
            mask = memory_mask
        attended = F.scaled_dot_product_attention(self._split(q), k, v, attn_mask=mask)
        batch, _, length, _ = attended.shape
        output: Tensor = self.out(attended.transpose(1, 2).reshape(batch, length, -1))
        return output


class FeedForward(nn.Module):
    """Pre-norm ReLU feed-forward block (CTranslate2 ``ffn``)."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.layer_norm = nn.LayerNorm(config.d_model, eps=LAYER_NORM_EPS)
        self.linear_0 = nn.Linear(config.d_model, config.ffn_dim)
        self.linear_1 = nn.Linear(config.ffn_dim, config.d_model)
        self.dropout = nn.Dropout(config.relu_dropout)

    def forward(self, x: Tensor) -> Tensor:
        """The block's output (without the residual)."""
        output: Tensor = self.linear_1(self.dropout(F.relu(self.linear_0(self.layer_norm(x)))))
        return output


class EncoderLayer(nn.Module):
    """Self-attention then feed-forward, each with a residual connection."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.self_attention = Attention(config, self_attention=True)
        self.ffn = FeedForward(config)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x: Tensor, mask: Tensor) -> Tensor:
        """One encoder layer."""
        x = x + self.dropout(self.self_attention(x, mask=mask))
        output: Tensor = x + self.dropout(self.ffn(x))
        return output


class DecoderLayer(nn.Module):
    """Causal self-attention, cross-attention, feed-forward."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.self_attention = Attention(config, self_attention=True)
        self.attention = Attention(config, self_attention=False)
        self.ffn = FeedForward(config)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x: Tensor, memory: Tensor, memory_mask: Tensor) -> Tensor:
        """One decoder layer."""
        x = x + self.dropout(self.self_attention(x, causal=True))
        x = x + self.dropout(self.attention(x, memory=memory, mask=memory_mask))
        output: Tensor = x + self.dropout(self.ffn(x))
        return output

    def step(
        self,
        x: Tensor,
        self_cache: dict[str, Tensor],
        cross_cache: dict[str, Tensor],
        memory_mask: Tensor,
    ) -> Tensor:
        """One decoder layer for one new position (inference, no dropout)."""
        x = x + self.self_attention.step(x, self_cache)
        x = x + self.attention.step(x, cross_cache, memory_mask)
        output: Tensor = x + self.ffn(x)
        return output


class Transformer(nn.Module):
    """The whole encoder-decoder; see the module docstring for the layout."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        self.embeddings = nn.Embedding(config.vocab_size, config.d_model, padding_idx=PAD_ID)
        nn.init.normal_(self.embeddings.weight, std=config.d_model**-0.5)
        with torch.no_grad():
            self.embeddings.weight[PAD_ID].zero_()
        self.register_buffer(
            "positions",
            sinusoidal_positions(config.max_positions, config.d_model),
            persistent=False,
        )
        self.encoder_layers = nn.ModuleList(
            EncoderLayer(config) for _ in range(config.encoder_layers)
        )
        self.decoder_layers = nn.ModuleList(
            DecoderLayer(config) for _ in range(config.decoder_layers)
        )
        self.encoder_norm = nn.LayerNorm(config.d_model, eps=LAYER_NORM_EPS)
        self.decoder_norm = nn.LayerNorm(config.d_model, eps=LAYER_NORM_EPS)
        self.dropout = nn.Dropout(config.dropout)
        for name, parameter in self.named_parameters():
            if name.endswith(".weight") and parameter.dim() == 2 and "embeddings" not in name:
                nn.init.xavier_uniform_(parameter)
            elif name.endswith(".bias"):
                nn.init.zeros_(parameter)

    def _embed(self, tokens: Tensor, offset: int = 0) -> Tensor:
        length = tokens.shape[1]
        positions = self.get_buffer("positions")
        scaled = self.embeddings(tokens) * math.sqrt(self.config.d_model)
        embedded: Tensor = self.dropout(scaled + positions[offset : offset + length])
        return embedded

    def encode(self, source: Tensor) -> tuple[Tensor, Tensor]:
        """Encoder states and the key mask (``[batch, 1, 1, length]``, True = real token)."""
        mask = (source != PAD_ID)[:, None, None, :]
        x = self._embed(source)
        for layer in self.encoder_layers:
            x = layer(x, mask)
        return self.encoder_norm(x), mask

    def decode(
        self, target_in: Tensor, memory: Tensor, memory_mask: Tensor, last_only: bool = False
    ) -> Tensor:
        """Logits for every target position (teacher forcing, causal), or the last one only."""
        x = self._embed(target_in)
        for layer in self.decoder_layers:
            x = layer(x, memory, memory_mask)
        if last_only:
            x = x[:, -1:]
        return F.linear(self.decoder_norm(x), self.embeddings.weight)

    def forward(self, source: Tensor, target_in: Tensor) -> Tensor:
        """Logits ``[batch, target_length, vocab]``."""
        memory, mask = self.encode(source)
        return self.decode(target_in, memory, mask)

    @torch.no_grad()
    def greedy(self, source: Tensor, max_length: int = 200) -> list[list[int]]:
        """Greedy decoding with cached keys and values (validation during training)."""
        memory, mask = self.encode(source)
        batch = source.shape[0]
        output = torch.full((batch, 1), BOS_ID, dtype=torch.long, device=source.device)
        finished = torch.zeros(batch, dtype=torch.bool, device=source.device)
        limit = min(max_length, self.config.max_positions - 1)
        layers = [layer for layer in self.decoder_layers if isinstance(layer, DecoderLayer)]
        self_caches: list[dict[str, Tensor]] = [{} for _ in layers]
        cross_caches: list[dict[str, Tensor]] = []
        for layer in layers:
            k, v = layer.attention.memory_kv(memory)
            cross_caches.append({"k": k, "v": v})
        for position in range(limit):
            x = self._embed(output[:, -1:], offset=position)
            for layer, self_cache, cross_cache in zip(
                layers, self_caches, cross_caches, strict=True
            ):
                x = layer.step(x, self_cache, cross_cache, mask)
            logits = F.linear(self.decoder_norm(x[:, -1]), self.embeddings.weight)
            logits[:, PAD_ID] = float("-inf")
            following = logits.argmax(dim=-1)
            following = torch.where(finished, torch.full_like(following, PAD_ID), following)
            output = torch.cat([output, following[:, None]], dim=1)
            finished |= following == EOS_ID
            if bool(finished.all()):
                break
        results: list[list[int]] = []
        for row in output[:, 1:].tolist():
            tokens: list[int] = []
            for token in row:
                if token in (EOS_ID, PAD_ID):
                    break
                tokens.append(token)
            results.append(tokens)
        return results


def count_parameters(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def model_state(model: Transformer) -> dict[str, Any]:
    """The weights as a plain ``name -> tensor`` dict (CPU, float32)."""
    return {k: v.detach().float().cpu() for k, v in model.state_dict().items()}
