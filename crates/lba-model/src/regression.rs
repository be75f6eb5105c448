//! Least squares through the normal equations `(XᵀX + λD) β = Xᵀy`,
//! solved by a small Cholesky factorisation.
//!
//! With about nine features the normal equations are tiny and can be
//! accumulated row by row (no design matrix in memory), per département
//! and nationally at once. The ridge term `λD` (λ times the mean diagonal
//! of `XᵀX`, on every coefficient but the last, the intercept) is there
//! for stability only: a département where an establishment never hired
//! gives a singular `XᵀX`.

/// Accumulated `XᵀX` and `Xᵀy` of a regression with `p` coefficients.
#[derive(Clone, Debug, PartialEq)]
pub struct NormalEquations {
    p: usize,
    xtx: Vec<f64>,
    xty: Vec<f64>,
    rows: usize,
}

/// Why a system could not be solved.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SolveError {
    /// No row was added.
    #[error("aucune observation pour estimer le modèle")]
    Empty,
    /// The matrix is not positive definite even with the ridge term.
    #[error("système singulier : les variables ne permettent pas d'estimer le modèle")]
    Singular,
}

impl NormalEquations {
    /// An empty system with `p` coefficients.
    pub fn new(p: usize) -> Self {
        Self {
            p,
            xtx: vec![0.0; p * p],
            xty: vec![0.0; p],
            rows: 0,
        }
    }

    /// Number of rows added.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Adds one observation (`x.len()` must be `p`; extra values are ignored,
    /// missing ones count as 0).
    pub fn add(&mut self, x: &[f64], y: f64) {
        let p = self.p;
        for i in 0..p {
            let xi = x.get(i).copied().unwrap_or(0.0);
            if xi == 0.0 {
                continue;
            }
            if let Some(slot) = self.xty.get_mut(i) {
                *slot += xi * y;
            }
            for j in 0..p {
                let xj = x.get(j).copied().unwrap_or(0.0);
                if let Some(slot) = self.xtx.get_mut(i * p + j) {
                    *slot += xi * xj;
                }
            }
        }
        self.rows += 1;
    }

    /// Adds every observation of `other` (same `p`).
    pub fn merge(&mut self, other: &Self) {
        for (a, b) in self.xtx.iter_mut().zip(&other.xtx) {
            *a += b;
        }
        for (a, b) in self.xty.iter_mut().zip(&other.xty) {
            *a += b;
        }
        self.rows += other.rows;
    }

    /// The coefficients, with `ridge` relative to the mean diagonal.
    pub fn solve(&self, ridge: f64) -> Result<Vec<f64>, SolveError> {
        if self.rows == 0 {
            return Err(SolveError::Empty);
        }
        let p = self.p;
        let mut a = self.xtx.clone();
        let mean_diag = (0..p).map(|i| a[i * p + i]).sum::<f64>() / p as f64;
        let lambda = ridge * mean_diag.max(1e-12);
        for i in 0..p.saturating_sub(1) {
            a[i * p + i] += lambda;
        }
        cholesky_solve(&mut a, &self.xty, p)
    }
}

/// Solves `A x = b` for a symmetric positive-definite `A` (row-major,
/// `p × p`, overwritten by its factor).
fn cholesky_solve(a: &mut [f64], b: &[f64], p: usize) -> Result<Vec<f64>, SolveError> {
    // A = L Lᵀ, L stored in the lower triangle of `a`.
    for j in 0..p {
        let mut d = a[j * p + j];
        for k in 0..j {
            d -= a[j * p + k] * a[j * p + k];
        }
        if d <= 1e-12 || !d.is_finite() {
            return Err(SolveError::Singular);
        }
        let d = d.sqrt();
        a[j * p + j] = d;
        for i in j + 1..p {
            let mut s = a[i * p + j];
            for k in 0..j {
                s -= a[i * p + k] * a[j * p + k];
            }
            a[i * p + j] = s / d;
        }
    }
    // L z = b, then Lᵀ x = z.
    let mut z = vec![0.0; p];
    for i in 0..p {
        let mut s = b[i];
        for k in 0..i {
            s -= a[i * p + k] * z[k];
        }
        z[i] = s / a[i * p + i];
    }
    let mut x = vec![0.0; p];
    for i in (0..p).rev() {
        let mut s = z[i];
        for k in i + 1..p {
            s -= a[k * p + i] * x[k];
        }
        x[i] = s / a[i * p + i];
    }
    Ok(x)
}

/// `x · beta`.
pub fn dot(x: &[f64], beta: &[f64]) -> f64 {
    x.iter().zip(beta).map(|(a, b)| a * b).sum()
}
