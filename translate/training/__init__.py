"""Training an nl→en Transformer and shipping it as an Argos package.

The pipeline has five steps, one module each:

* :mod:`translate.training.corpus`: read, clean and augment a parallel corpus
  (placeholders, name copying, sentence concatenation);
* :mod:`translate.training.spm`: train the joint SentencePiece model and
  pre-tokenize the corpus once;
* :mod:`translate.training.model`: the PyTorch Transformer whose weights map
  one to one onto CTranslate2's ``TransformerSpec``;
* :mod:`translate.training.train`: the training loop (resumable, wall-clock
  bounded, validated with chrF);
* :mod:`translate.training.export`: checkpoint → CTranslate2 int8 model →
  Argos package directory and ``.argosmodel`` zip.

Modules that need PyTorch import it at module level, so only import them when
training; nothing here is imported by the translation commands.
"""
