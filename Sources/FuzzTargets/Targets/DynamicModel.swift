import Foundation

/// Tests/Fixtures/dynamic_hw.onnx (a conv net whose height and width are
/// dynamic, so config.json's input shape decides them), embedded so the
/// harness needs no files at run time.
enum DynamicModel {
    static let bytes = Data(base64Encoded: base64.joined())!

    private static let base64 = [
        "CA46pQcKLAoFaW1hZ2UKAXcSAWMaBGNvbnYiBENvbnYqEQoEcGFkc0ABQAFAAUABoAEHChIKAWMSAXIaBHJlbHUiBFJlbHUKHwoB",
        "chIBcBoEcG9vbCIRR2xvYmFsQXZlcmFnZVBvb2wKGAoBcBIBZhoHZmxhdHRlbiIHRmxhdHRlbgowCgFmCgRmY193CgRmY19iEgZs",
        "b2dpdHMaAmZjIgRHZW1tKg0KBnRyYW5zQhgBoAECEgpkeW5hbWljX2h3KsADCAQIAwgDCAMQAUIBd0qwA0Rb87+TD6W/+b3rv7u7",
        "cL6wO6K/KeOKPluDID7Taj++lxIhwMfnCb/tqEa9iw7oPX3bw78UnPS+OoB6v/UPT7+Hy4c/mLpOv3s1Bb1gZ2I/12YVv/7D5L0G",
        "O+I9BaCCPaHOnL9p75s97e2tP9YIxr+BAFw/4m/0PWc3JL/TBgBAdCNDP0yCmb/3m5g97qETPxpQQb410y4/PDqIvbzQKj+CIbg/",
        "NPgsv5EDUD6nNu2+p1ICPv71l78cTRS/medIvmQVZj+ilpI/XGmpv69tS792myU/nQf/v5ok7b5ePse93uWgP8Z8MD+EiKe++7W8",
        "vp0ZgL4DA8M/Fibbvv97m76OhrQ+f1b3veAESr7BmY6/isQ8vBQd476tQ5U/zzAnP9TIxbwFGys/YgOuvhSshj/M7rC7jFgVP/07",
        "pb8MgLE+ExfYv9RCAsBl5Ju+qGFmv3X9Jz4Yqg9Az+tUv8S6H79pVVI+PWz8PsujNL5n31K+ndQzP6sYBT99T4S/0SmivfGIED1a",
        "+Ya/oQmFPgmjW79d2Xg/L19FPlLmtj2iTRe/tenyvSe2/7/20ZC/I8a5PiqvAQgKCAQQAUIEZmNfd0qgAUK2AT/yV4o9vz6xvnb1",
        "jb+27oi9DqhfP6T6yL5Ismi+1FZivgNz4D3I58u/RAxxvqq5Wr8qdGI/9EVFv1a5Ez/EIMM/sI+gvucAGr/RBkQ+b/kEu6Rdfr+h",
        "/es+N/4AQEEnhL7Hvk++VcCFv5Bfoz7rnJ+/6q+NvyPMoz/Gy2e/7WmKPyoewz9wxoQ+D6sNP1zj+T8sc0m+Os8Xv602rb8qNAgK",
        "EAFCBGZjX2JKKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABaIgoFaW1hZ2USGQoXCAESEwoDEgFOCgII",
        "AwoDEgFICgMSAVdiGQoGbG9naXRzEg8KDQgBEgkKAxIBTgoCCApCBAoAEBE=",
    ]
}
