"""The references of the generalization family (MATH.md section 10)."""

from theorems.core import Reference

__all__ = ["BARTLETT_MENDELSON", "SHALEV_SHWARTZ", "LATALA", "MASSART", "SOKOLIC_TSP",
           "SOKOLIC_AISTATS", "NEYSHABUR_COLT", "NEYSHABUR_PATHSGD", "XU_MANNOR", "MOHRI"]

BARTLETT_MENDELSON = Reference(
    "P. Bartlett, S. Mendelson",
    "Rademacher and Gaussian Complexities: Risk Bounds and Structural Results",
    "JMLR 3", 2002)
SHALEV_SHWARTZ = Reference(
    "S. Shalev-Shwartz, S. Ben-David", "Understanding Machine Learning",
    "Cambridge University Press", 2014,
    where="Lemma 26.10 (l2 ball), Lemma 26.11 (l1 ball, Massart) [recalled]")
LATALA = Reference(
    "R. Latala, K. Oleszkiewicz", "On the best constant in the Khinchin-Kahane inequality",
    "Studia Mathematica 109", 1994, where="the constant 1/sqrt 2 [recalled]")
MASSART = Reference(
    "P. Massart", "Some applications of concentration inequalities to statistics",
    "Annales de la Faculte des Sciences de Toulouse 9", 2000, where="finite class lemma")
SOKOLIC_TSP = Reference(
    "J. Sokolic, R. Giryes, G. Sapiro, M. Rodrigues", "Robust Large Margin Deep Neural Networks",
    "IEEE Transactions on Signal Processing 65(16)", 2017, arxiv="1605.08254")
SOKOLIC_AISTATS = Reference(
    "J. Sokolic, R. Giryes, G. Sapiro, M. Rodrigues",
    "Generalization Error of Invariant Classifiers", "AISTATS", 2017, arxiv="1610.04574")
NEYSHABUR_COLT = Reference(
    "B. Neyshabur, R. Tomioka, N. Srebro", "Norm-Based Capacity Control in Neural Networks",
    "COLT", 2015, arxiv="1503.00036")
NEYSHABUR_PATHSGD = Reference(
    "B. Neyshabur, R. Salakhutdinov, N. Srebro",
    "Path-SGD: Path-Normalized Optimization in Deep Neural Networks", "NeurIPS", 2015,
    arxiv="1506.02617")
XU_MANNOR = Reference("H. Xu, S. Mannor", "Robustness and Generalization",
                      "Machine Learning 86", 2012)
MOHRI = Reference(
    "M. Mohri, A. Rostamizadeh, A. Talwalkar", "Foundations of Machine Learning (2nd ed.)",
    "MIT Press", 2018, where="Theorem 5.8, margin bound with empirical Rademacher [recalled]")
