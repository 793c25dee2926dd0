"""The references of the catalog, in one place (each theorem lists the ones it rests on)."""

from theorems.core import Reference

__all__ = [
    "CAVAZZA", "SEED", "SRIVASTAVA", "WAGER", "MIANJY", "ARORA", "HAEFFELE_2020",
    "HAEFFELE_2015", "HAEFFELE_2017", "SREBRO", "BALDI", "KAWAGUCHI", "LU_KAWAGUCHI", "YUN",
    "LAURENT",
]

CAVAZZA = Reference(
    "J. Cavazza, P. Morerio, B. Haeffele, C. Lane, V. Murino, R. Vidal",
    "Dropout as a Low-Rank Regularizer for Matrix Factorization",
    "AISTATS", 2018, arxiv="1710.05092",
)
SEED = Reference(
    "R. Vidal, J. Bruna, R. Giryes, S. Soatto", "Mathematics of Deep Learning",
    "CDC tutorial", 2017, arxiv="1712.04741", where="slide 'Toward a Unified Theory?'",
)
SRIVASTAVA = Reference(
    "N. Srivastava, G. Hinton, A. Krizhevsky, I. Sutskever, R. Salakhutdinov",
    "Dropout: A Simple Way to Prevent Neural Networks from Overfitting",
    "JMLR 15", 2014, where="section 9.1, linear regression",
)
WAGER = Reference("S. Wager, S. Wang, P. Liang", "Dropout Training as Adaptive Regularization",
                  "NeurIPS", 2013, arxiv="1307.1493")
MIANJY = Reference("P. Mianjy, R. Arora, R. Vidal", "On the Implicit Bias of Dropout",
                   "ICML", 2018, arxiv="1806.09777")
ARORA = Reference("R. Arora, P. Bartlett, P. Mianjy, N. Srebro",
                  "Dropout: Explicit Forms and Capacity Control", "ICML", 2021,
                  arxiv="2003.03397")
HAEFFELE_2020 = Reference(
    "B. Haeffele, R. Vidal", "Structured Low-Rank Matrix Factorization: Global Optimality, "
    "Algorithms, and Applications", "IEEE TPAMI", 2020, arxiv="1708.07850",
)
HAEFFELE_2015 = Reference(
    "B. Haeffele, R. Vidal", "Global Optimality in Tensor Factorization, Deep Learning, "
    "and Beyond", "arXiv preprint", 2015, arxiv="1506.07540",
)
HAEFFELE_2017 = Reference(
    "B. Haeffele, R. Vidal", "Global Optimality in Neural Network Training", "CVPR", 2017,
)
SREBRO = Reference("N. Srebro, J. Rennie, T. Jaakkola", "Maximum-Margin Matrix Factorization",
                   "NeurIPS", 2004, where="nuclear norm as min (||U||_F^2 + ||V||_F^2)/2")
BALDI = Reference(
    "P. Baldi, K. Hornik",
    "Neural networks and principal component analysis: learning from examples without "
    "local minima", "Neural Networks 2(1):53-58", 1989,
)
KAWAGUCHI = Reference("K. Kawaguchi", "Deep Learning without Poor Local Minima", "NeurIPS",
                      2016, arxiv="1605.07110")
LU_KAWAGUCHI = Reference("H. Lu, K. Kawaguchi", "Depth Creates No Bad Local Minima",
                         "arXiv preprint", 2017, arxiv="1702.08580")
YUN = Reference("C. Yun, S. Sra, A. Jadbabaie",
                "Global optimality conditions for deep neural networks", "ICLR", 2018,
                arxiv="1707.02444")
LAURENT = Reference("T. Laurent, J. von Brecht",
                    "Deep linear networks with arbitrary loss: All local minima are global",
                    "ICML", 2018, arxiv="1712.01473")
