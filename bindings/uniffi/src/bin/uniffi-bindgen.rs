//! `uniffi-bindgen`: writes the Kotlin half of the JVM binding from the
//! built library (`make jvm` runs it; see bindings/jvm/README.md).

fn main() {
    uniffi::uniffi_bindgen_main()
}
