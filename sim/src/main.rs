//! `wxpay-sim`: run the simulator until interrupted.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(wxpay_sim::cli::run(&args));
}
