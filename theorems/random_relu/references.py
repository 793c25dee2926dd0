"""The references of the random_relu family (MATH.md section 8)."""

from theorems.core import Reference

__all__ = ["CHO_SAUL", "GIRYES", "GULCU", "LEE", "NEURAL_TANGENTS", "SEED", "REFERENCES"]

CHO_SAUL = Reference("Y. Cho, L. Saul", "Kernel Methods for Deep Learning", "NeurIPS", 2009,
                     where="arc-cosine kernel k_1 (defined with a factor 2)")
GIRYES = Reference(
    "R. Giryes, G. Sapiro, A. Bronstein",
    "Deep Neural Networks with Random Gaussian Weights: A Universal Classification Strategy?",
    "IEEE Trans. Signal Processing 64(13)", 2016, arxiv="1504.08291", where="Theorem 3, Fig. 5")
GULCU = Reference(
    "T. C. Gulcu, A. Gungor",
    "Comments on 'Deep Neural Networks with Random Gaussian Weights: A Universal "
    "Classification Strategy?'", "arXiv preprint", 2019, arxiv="1901.02182")
LEE = Reference("J. Lee, Y. Bahri, R. Novak, S. Schoenholz, J. Pennington, J. Sohl-Dickstein",
                "Deep Neural Networks as Gaussian Processes", "ICLR", 2018,
                arxiv="1711.00165")
NEURAL_TANGENTS = Reference(
    "R. Novak, L. Xiao, J. Hron, J. Lee, A. Alemi, J. Sohl-Dickstein, S. Schoenholz",
    "Neural Tangents: Fast and Easy Infinite Neural Networks in Python", "ICLR", 2020,
    arxiv="1912.02803", where="stax ABRelu kernel_fn")
SEED = Reference(
    "R. Vidal, J. Bruna, R. Giryes, S. Soatto", "Mathematics of Deep Learning",
    "CDC tutorial", 2017, arxiv="1712.04741",
    where="talk 'Data Structure Based Theory for Deep Learning'")

REFERENCES = (CHO_SAUL, GIRYES, GULCU, LEE, NEURAL_TANGENTS, SEED)
