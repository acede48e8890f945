//! xorshift64*: a fast, seeded generator, so a benchmark's data and load repeat run to run.

use std::time::Duration;

pub struct Rng(u64);

impl Rng {
    /// Never zero, where xorshift would stay.
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in (0, 1): never 0, whose logarithm is infinite.
    pub fn unit(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Exponentially distributed with this mean: the gap between independent arrivals.
    pub fn exponential(&mut self, mean: Duration) -> Duration {
        mean.mul_f64(-self.unit().ln())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponential_gaps_average_their_mean_and_vary_as_independent_arrivals_do() {
        let mean = Duration::from_millis(125);
        let mut rng = Rng::new(3);
        let drawn: Vec<f64> = (0..100_000)
            .map(|_| rng.exponential(mean).as_secs_f64())
            .collect();
        let average = drawn.iter().sum::<f64>() / drawn.len() as f64;
        assert!((average / 0.125 - 1.0).abs() < 0.02, "average {average}");
        // An exponential distribution's standard deviation equals its mean.
        let variance =
            drawn.iter().map(|g| (g - average).powi(2)).sum::<f64>() / drawn.len() as f64;
        assert!(
            (variance.sqrt() / 0.125 - 1.0).abs() < 0.03,
            "deviation {}",
            variance.sqrt()
        );
        // About e^-1 of gaps are longer than the mean.
        let longer = drawn.iter().filter(|&&g| g > 0.125).count() as f64 / drawn.len() as f64;
        assert!(
            (longer - (-1f64).exp()).abs() < 0.01,
            "longer than the mean: {longer}"
        );
    }
}
