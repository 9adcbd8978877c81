//! The simulator's HTTPS side. Refunds go to WeChat over mutual TLS with
//! the merchant's API client certificate; to rehearse that offline, the
//! simulator makes a throwaway CA, a server certificate for `localhost` and
//! `127.0.0.1`, and a client certificate for its merchant, and serves its
//! paths over HTTPS too. Over HTTPS, `/secapi/` paths require that client
//! certificate, as WeChat does.

use std::fmt;
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::WebPkiClientVerifier;

/// The PEM a shop needs to reach the simulator's HTTPS port: the CA to
/// trust (`ca_pem` in the client options) and the merchant certificate to
/// present (`cert_pem` + `key_pem`).
#[derive(Clone)]
pub struct TlsFiles {
    /// The simulator's CA certificate.
    pub ca_pem: String,
    /// The merchant's client certificate (subject CN = the mch_id).
    pub client_cert_pem: String,
    /// Its private key (PKCS#8).
    pub client_key_pem: String,
}

impl fmt::Debug for TlsFiles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsFiles")
            .field("ca_pem", &"(certificate)")
            .field("client_cert_pem", &"(certificate)")
            .field("client_key_pem", &"***")
            .finish()
    }
}

/// Certificates made at start-up and the server configuration using them.
pub(crate) struct SimTls {
    pub files: TlsFiles,
    pub config: Arc<rustls::ServerConfig>,
    /// The client certificate's DER: the one `/secapi/` accepts.
    pub client_der: Vec<u8>,
}

fn err(what: &str) -> impl Fn(rcgen::Error) -> String + '_ {
    move |e| format!("cannot make the {what}: {e}")
}

impl SimTls {
    /// New keys and certificates for `mch_id`.
    pub fn generate(mch_id: &str) -> Result<SimTls, String> {
        let ca_key = KeyPair::generate().map_err(err("CA key"))?;
        let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(err("CA"))?;
        ca.distinguished_name
            .push(DnType::CommonName, "wxpay-sim test CA (not for production)");
        ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_cert = ca.self_signed(&ca_key).map_err(err("CA"))?;

        let server_key = KeyPair::generate().map_err(err("server key"))?;
        let mut server =
            CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
                .map_err(err("server certificate"))?;
        server
            .distinguished_name
            .push(DnType::CommonName, "wxpay-sim");
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let server_cert = server
            .signed_by(&server_key, &ca_cert, &ca_key)
            .map_err(err("server certificate"))?;

        let client_key = KeyPair::generate().map_err(err("client key"))?;
        let mut client =
            CertificateParams::new(Vec::<String>::new()).map_err(err("client certificate"))?;
        client.distinguished_name.push(DnType::CommonName, mch_id);
        client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let client_cert = client
            .signed_by(&client_key, &ca_cert, &ca_key)
            .map_err(err("client certificate"))?;

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(ca_cert.der().clone())
            .map_err(|e| format!("cannot trust the CA: {e}"))?;
        // A client without a certificate may still connect (orderquery and
        // friends need none); /secapi/ checks for it per request.
        let verifier =
            WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .allow_unauthenticated()
                .build()
                .map_err(|e| format!("cannot build the client verifier: {e}"))?;
        let server_chain: Vec<CertificateDer<'static>> = vec![server_cert.der().clone()];
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot configure TLS: {e}"))?
            .with_client_cert_verifier(verifier)
            .with_single_cert(
                server_chain,
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
            )
            .map_err(|e| format!("cannot configure TLS: {e}"))?;
        Ok(SimTls {
            files: TlsFiles {
                ca_pem: ca_cert.pem(),
                client_cert_pem: client_cert.pem(),
                client_key_pem: client_key.serialize_pem(),
            },
            config: Arc::new(config),
            client_der: client_cert.der().to_vec(),
        })
    }
}
